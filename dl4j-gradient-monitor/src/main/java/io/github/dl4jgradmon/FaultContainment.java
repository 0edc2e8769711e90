package io.github.dl4jgradmon;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps a fault inside the monitor from ending the user's training: the first one is logged with its stack trace,
 * later ones at DEBUG, and all are counted.
 */
final class FaultContainment {

    private static final Logger log = LoggerFactory.getLogger(GradientMonitor.class);

    private final AtomicLong faults = new AtomicLong();

    void contain(String where, Throwable t) {
        long n = faults.incrementAndGet();
        if (n == 1) {
            log.warn("GradientMonitor failed in {} and skipped its work for this iteration; training goes on. "
                    + "Further failures are logged at DEBUG. Please report this with the stack trace.", where, t);
        } else {
            log.debug("GradientMonitor failed again in {} ({} failures so far)", where, n, t);
        }
    }

    long count() {
        return faults.get();
    }
}
