package io.github.dl4jgradmon.internal.alert;

import io.github.dl4jgradmon.alert.GradientAlertException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps a failure inside the monitor (or inside a handler it calls) from ending the user's training: the first one is
 * logged with its stack trace, later ones at DEBUG, and all are counted. Thread-safe.
 *
 * <p>What passes instead of being contained ({@link #mustPass}): the intentional stop, a
 * {@link GradientAlertException}, and the JVM's own fatal errors ({@link VirtualMachineError}: out of memory, an
 * internal error), after which nothing can be trusted. A {@link StackOverflowError} is a {@code VirtualMachineError}
 * too, but it comes from the code that overflowed (a handler's recursion), and once the stack has unwound the JVM is
 * sound: it is contained like any other failure. Everything else ({@code RuntimeException}, {@code LinkageError},
 * {@code AssertionError}, any other {@code Error}, a checked exception thrown sneakily) is contained.
 */
public final class Faults {

    private static final Logger log = LoggerFactory.getLogger("io.github.dl4jgradmon.GradientMonitor");

    private final AtomicLong faults = new AtomicLong();

    /** True for what must propagate to {@code fit()}: the intentional stop and the JVM's fatal errors. */
    public static boolean mustPass(Throwable t) {
        return t instanceof GradientAlertException
                || (t instanceof VirtualMachineError && !(t instanceof StackOverflowError));
    }

    /** Rethrows {@code t} when it must pass; otherwise logs and counts it. */
    public void contain(String where, Throwable t) {
        if (mustPass(t)) {
            throw sneaky(t);
        }
        long n = faults.incrementAndGet();
        if (n == 1) {
            log.warn("GradientMonitor failed in {} and skipped that work for this iteration; training goes on. "
                    + "Further failures are logged at DEBUG. Please report this with the stack trace.", where, t);
        } else {
            log.debug("GradientMonitor failed again in {} ({} failures so far)", where, n, t);
        }
    }

    /** Failures contained so far. */
    public long count() {
        return faults.get();
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
        throw (T) t;
    }
}
