package io.github.dl4jgradmon.clip;

import java.util.Arrays;

/** AutoClip (Seetharaman, Wichern, Pardo, Le Roux 2020): clip at a percentile of the run's own norm history. */
final class AutoClipClipping extends GradientClipping {

    private static final long serialVersionUID = 1L;

    private final double percentile;
    private final int historySize;

    AutoClipClipping(double percentile, int historySize) {
        this.percentile = percentile;
        this.historySize = historySize;
    }

    @Override
    public String name() {
        return "autoClip";
    }

    @Override
    public Session newSession() {
        return new Session() {
            private final double[] ring = new double[historySize];
            private final double[] sorted = new double[historySize];
            private int count;
            private int next;

            @Override
            public double apply(ClipTarget target) {
                double norm = target.globalNorm();
                if (!Double.isFinite(norm)) {
                    return Double.NaN;
                }
                ring[next] = norm;
                next = (next + 1) % historySize;
                count = Math.min(count + 1, historySize);
                System.arraycopy(ring, 0, sorted, 0, count);
                Arrays.sort(sorted, 0, count);
                double threshold = percentile(sorted, count, percentile);
                NormClipping.clipGlobal(target, threshold);
                return threshold;
            }
        };
    }

    /** Linear interpolation between closest ranks, as numpy.percentile does by default. */
    static double percentile(double[] sorted, int n, double p) {
        double rank = p / 100.0 * (n - 1);
        int lo = (int) Math.floor(rank);
        int hi = Math.min(lo + 1, n - 1);
        return sorted[lo] + (rank - lo) * (sorted[hi] - sorted[lo]);
    }

    @Override
    public String toString() {
        return "autoClip(percentile=" + percentile + ", historySize=" + historySize + ")";
    }
}
