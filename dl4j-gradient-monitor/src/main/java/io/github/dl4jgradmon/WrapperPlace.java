package io.github.dl4jgradmon;

import java.math.BigInteger;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model's place in a ParallelWrapper: which of the wrapper's workers trains it. DL4J builds fresh replicas for
 * workers 1, 2, ... on every {@code fit} call (worker 0 trains the wrapper's own model), so the replica object says
 * nothing about the place; the thread does. DL4J runs worker {@code k} on a pool thread named
 * {@code "ParallelWrapper training thread k"}, the pool is made anew on each {@code fit} and numbers its threads from 0
 * again. The place is the number that ends the thread's name (any pool that numbers its threads keeps it stable
 * across calls), or the whole name when it ends in none. Only callbacks that come from inside a ParallelWrapper
 * trainer (a caller in {@value #WRAPPER_PACKAGE}) have a place: anywhere else a new model is a new worker.
 *
 * <p>Internal.
 */
final class WrapperPlace {

    static final String WRAPPER_PACKAGE = "org.deeplearning4j.parallelism.";
    private static final Pattern TRAILING_NUMBER = Pattern.compile("(\\d+)$");
    private static final StackWalker STACK = StackWalker.getInstance();

    private WrapperPlace() {
    }

    /** The place of the calling thread, when it trains inside a ParallelWrapper. Walks the stack: call it rarely. */
    static Optional<String> current() {
        boolean inWrapper = STACK.walk(frames -> frames.anyMatch(f -> f.getClassName().startsWith(WRAPPER_PACKAGE)));
        return of(Thread.currentThread().getName(), inWrapper);
    }

    static Optional<String> of(String threadName, boolean insideWrapper) {
        if (!insideWrapper) {
            return Optional.empty();
        }
        Matcher m = TRAILING_NUMBER.matcher(threadName);
        if (m.find()) {
            return Optional.of("wrapper worker " + new BigInteger(m.group(1)));
        }
        return Optional.of("wrapper thread " + threadName);
    }
}
