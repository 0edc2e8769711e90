package io.github.dl4jgradmon.internal.stats;

/** Small numeric helpers shared by the statistics values. Internal. */
public final class Ratios {

    private Ratios() {
    }

    /** {@code numerator / denominator}, or NaN when either is not finite or the denominator is zero. */
    public static double ratio(double numerator, double denominator) {
        if (!Double.isFinite(numerator) || !Double.isFinite(denominator) || denominator == 0) {
            return Double.NaN;
        }
        return numerator / denominator;
    }
}
