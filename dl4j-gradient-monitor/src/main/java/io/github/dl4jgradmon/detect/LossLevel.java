package io.github.dl4jgradmon.detect;

/**
 * Where a run's loss stands against its start: the mean of the first {@link #START} finite scores against a moving
 * average (smoothing 0.9) of the latest. Tells a net that learned (small gradients, dead units that cost nothing) from
 * one that did not. Constant memory.
 */
final class LossLevel {

    /** Scores whose mean is the starting level. */
    static final int START = 10;

    /**
     * A moving-average loss below this fraction of its start: the net learned, whatever the rule saw (dead units,
     * large updates: INFO, not WARNING). The zoo UNet, trained to 0.21 of its start, had 70% dead units in its
     * bottleneck at 0.3 of it; the zoo TextGenerationLSTM moved a layer ~10% per step after learning 120 -> 28.
     */
    static final double HALVED = 0.5;

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
