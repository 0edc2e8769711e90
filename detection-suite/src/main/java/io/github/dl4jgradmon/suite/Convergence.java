package io.github.dl4jgradmon.suite;

/**
 * When a training run's loss has "flattened": the rule that may end a healthy corpus run before its maximum length.
 *
 * <p>Flat: over the last {@link #WINDOW} iterations the mean loss fell by less than {@link #TOLERANCE} of the
 * starting loss (the mean of the first {@link #START} iterations) compared with the {@link #WINDOW} iterations
 * before. Measured against the starting loss rather than the current one, so that a loss creeping towards zero
 * (0.010 -> 0.008) counts as flat, while a loss still falling by a visible share of the problem does not.
 *
 * <pre>{@code
 * boolean stop = Convergence.flat(losses, count);
 * }</pre>
 */
public final class Convergence {

    /** Iterations per comparison window. */
    public static final int WINDOW = 50;
    /** Iterations averaged for the starting loss. */
    public static final int START = 10;
    /** Largest fall, as a fraction of the starting loss, between two consecutive windows that still counts as flat. */
    public static final double TOLERANCE = 0.01;

    private Convergence() {
    }

    /** Whether the first {@code n} losses have flattened; false while fewer than two windows are available. */
    public static boolean flat(double[] losses, int n) {
        if (n < 2 * WINDOW || n < START) {
            return false;
        }
        double start = mean(losses, 0, START);
        double previous = mean(losses, n - 2 * WINDOW, n - WINDOW);
        double last = mean(losses, n - WINDOW, n);
        if (!Double.isFinite(start) || !Double.isFinite(previous) || !Double.isFinite(last)) {
            return false;
        }
        return previous - last < TOLERANCE * Math.abs(start);
    }

    /** Mean of {@code losses[from, to)}. */
    public static double mean(double[] losses, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += losses[i];
        }
        return sum / (to - from);
    }
}
