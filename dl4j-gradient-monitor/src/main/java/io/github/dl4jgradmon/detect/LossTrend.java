package io.github.dl4jgradmon.detect;

/**
 * Whether a run's loss is still falling: its moving average (smoothing 0.9) now against the same average {@code lag}
 * snapshots ago. A fixed ring of past averages; no allocation after construction.
 */
final class LossTrend {

    /** Falling: the average now is more than 5% below the one {@code lag} snapshots ago. */
    static final double FALLING = 0.95;

    private final double[] past;
    private double average = Double.NaN;
    private int count;

    LossTrend(int lag) {
        this.past = new double[lag];
    }

    void add(double score) {
        if (!Double.isFinite(score)) {
            return;
        }
        average = Double.isNaN(average) ? score : 0.9 * average + 0.1 * score;
        past[count % past.length] = average;
        count++;
    }

    /** True when {@code lag} averages are known and the latest is more than 5% below the oldest of them. */
    boolean falling() {
        if (count <= past.length) {
            return false;
        }
        double then = past[count % past.length]; // the oldest kept: lag - 1 snapshots before the newest
        return then > 0 && average < FALLING * then;
    }
}
