package io.github.dl4jgradmon.internal.probe;

/**
 * How far back through time the gradient of a sequence model's loss reaches: a summary of the norms of
 * dLoss/dInput at each time step ({@link TimeProbe}). Internal.
 *
 * @param steps the sequence length T
 * @param edge  steps averaged at each end: a tenth of T, at least 1
 * @param early mean input-gradient norm over the first {@code edge} steps
 * @param late  mean input-gradient norm over the last {@code edge} steps
 * @param reach steps back from the last one before the norm first falls below {@value #REACH_FRACTION} of
 *              {@code late}; {@code steps} when it never does
 */
public record TimeProfile(int steps, int edge, double early, double late, int reach) {

    /** A step whose input gradient is below this fraction of the last steps' has been left behind. */
    public static final double REACH_FRACTION = 0.01;

    public TimeProfile {
        if (steps < 1 || edge < 1 || edge > steps || reach < 0 || reach > steps) {
            throw new IllegalArgumentException("a time profile needs 1 <= edge <= steps and 0 <= reach <= steps "
                    + "(got: steps " + steps + ", edge " + edge + ", reach " + reach + ")");
        }
    }

    /** The summary of per-step input-gradient norms, first step first. */
    public static TimeProfile of(double[] norms) {
        int t = norms.length;
        if (t == 0) {
            throw new IllegalArgumentException("norms must hold one value per time step (got: 0 steps)");
        }
        int edge = Math.max(1, t / 10);
        double early = 0;
        double late = 0;
        for (int i = 0; i < edge; i++) {
            early += norms[i];
            late += norms[t - 1 - i];
        }
        early /= edge;
        late /= edge;
        int reach = t;
        for (int i = t - 1; i >= 0; i--) {
            if (norms[i] < REACH_FRACTION * late) {
                reach = t - 1 - i;
                break;
            }
        }
        return new TimeProfile(t, edge, early, late, reach);
    }

    /** The first steps' input gradient over the last steps': how much of the gradient reaches the start. */
    public double ratio() {
        return late > 0 ? early / late : Double.NaN;
    }
}
