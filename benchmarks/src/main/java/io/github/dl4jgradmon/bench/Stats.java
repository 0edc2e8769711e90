package io.github.dl4jgradmon.bench;

import java.util.Arrays;

/** Order statistics for the benchmark tables. */
final class Stats {

    private Stats() {
    }

    static double median(double[] v) {
        return quantile(v, 0.5);
    }

    /** Linear interpolation between order statistics (the R-7 / Excel definition). */
    static double quantile(double[] v, double q) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        double h = (s.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, s.length - 1);
        return s[lo] + (h - lo) * (s[hi] - s[lo]);
    }
}
