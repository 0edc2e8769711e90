package io.github.dl4jgradmon.detect;

/**
 * Where a run's loss stands against its start: the mean of the first {@link #START} finite scores against a moving
 * average (smoothing 0.9) of the latest. Tells a net that learned (small gradients, dead units that cost nothing) from
 * one that did not. Constant memory.
 */
final class LossLevel {

    /** Scores whose mean is the starting level. */
    static final int START = 10;

    private double startSum;
    private int started;
    private double average = Double.NaN;

    void add(double score) {
        if (!Double.isFinite(score)) {
            return;
        }
        if (started < START) {
            startSum += score;
            started++;
        }
        average = Double.isNaN(average) ? score : 0.9 * average + 0.1 * score;
    }

    /** The moving average over the starting level; NaN before the start is known or when it is not positive. */
    double fraction() {
        double start = startSum / started;
        return started < START || !(start > 0) ? Double.NaN : average / start;
    }

    /** Whether the loss has fallen below {@code fraction} of its starting level. */
    boolean fellBelow(double fraction) {
        return fraction() < fraction;
    }
}
