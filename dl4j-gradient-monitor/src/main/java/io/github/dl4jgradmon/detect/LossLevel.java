package io.github.dl4jgradmon.detect;

/**
 * Where a run's loss stands against its start, with the start taken from before any damage: the lower of the first
 * finite score and the mean of the first {@link #START} finite scores, against a moving average (smoothing 0.9) of
 * the latest. Tells a net that learned (small gradients, dead units that cost nothing) from one that did not. A run
 * that blows up in its first steps (Adam(1.0): 1.07, then 17.4 three steps later) would otherwise take a start
 * inflated by the blow-up and call a net sitting near chance one that "fell to 14% of its start". Also remembers the
 * largest finite score and its iteration, so that a diagnosis can name an early blow-up. Constant memory.
 */
final class LossLevel {

    /** Scores whose mean bounds the starting level. */
    static final int START = 10;

    /**
     * A moving-average loss below this fraction of its start: the net learned, whatever the rule saw (dead units,
     * large updates: INFO, not WARNING). The zoo UNet, trained to 0.21 of its start, had 70% dead units in its
     * bottleneck at 0.3 of it; the zoo TextGenerationLSTM moved a layer ~10% per step after learning 120 -> 28.
     */
    static final double HALVED = 0.5;

    /** A score above this many times the start is a blow-up worth naming (the learning rate overshot). */
    static final double BLOW_UP = 5;

    private double first = Double.NaN;
    private double startSum;
    private int started;
    private double average = Double.NaN;
    private double peak = Double.NaN;
    private long peakIteration = -1;

    void add(double score) {
        add(score, -1);
    }

    void add(double score, long iteration) {
        if (!Double.isFinite(score)) {
            return;
        }
        if (started == 0) {
            first = score;
        }
        if (started < START) {
            startSum += score;
            started++;
        }
        if (!(score <= peak)) {
            peak = score;
            peakIteration = iteration;
        }
        average = Double.isNaN(average) ? score : 0.9 * average + 0.1 * score;
    }

    /** The starting level: min(first score, mean of the first {@link #START}); NaN until they are known. */
    double start() {
        return started < START ? Double.NaN : Math.min(first, startSum / started);
    }

    /** The moving average of the loss; NaN before the first finite score. */
    double average() {
        return average;
    }

    /** The moving average over the starting level; NaN before the start is known or when it is not positive. */
    double fraction() {
        double start = start();
        return !(start > 0) ? Double.NaN : average / start;
    }

    /** Whether the loss has fallen below {@code fraction} of its starting level. */
    boolean fellBelow(double fraction) {
        return fraction() < fraction;
    }

    /** Whether a score rose above {@link #BLOW_UP} times the start at some point. */
    boolean blewUp() {
        return peak > BLOW_UP * start();
    }

    /** The largest finite score so far; NaN before the first. */
    double peak() {
        return peak;
    }

    /** The iteration of {@link #peak()}, as given to {@link #add(double, long)}; -1 when not given. */
    long peakIteration() {
        return peakIteration;
    }
}
