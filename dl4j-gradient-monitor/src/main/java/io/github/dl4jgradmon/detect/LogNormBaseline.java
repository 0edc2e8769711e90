package io.github.dl4jgradmon.detect;

/**
 * Exponential moving mean and variance of log(norm), for one norm stream (ZClip's estimator, applied to the
 * logarithm because gradient norms are heavy-tailed). Outliers enter the averages clamped at the z threshold, as in
 * ZClip, so one spike does not raise the baseline much.
 */
final class LogNormBaseline {

    /** Smallest standard deviation of log(norm) used in z-scores: a spike must be at least e^(0.2 z) times the norm. */
    static final double MIN_LOG_STD = 0.2;

    private final double alpha;
    private double mean;
    private double variance;
    private long count;

    LogNormBaseline(double alpha) {
        this.alpha = alpha;
    }

    long count() {
        return count;
    }

    /** Geometric mean of the norms seen (exp of the mean log); NaN before the first. */
    double baseline() {
        return count == 0 ? Double.NaN : Math.exp(mean);
    }

    /** z-score of {@code norm} against the baseline; NaN before the first norm or for norm <= 0. */
    double z(double norm) {
        if (count == 0 || !(norm > 0)) {
            return Double.NaN;
        }
        return (Math.log(norm) - mean) / Math.max(Math.sqrt(variance), MIN_LOG_STD);
    }

    /** Adds a finite, positive norm; after warm-up, a value beyond {@code zCap} enters clamped at it. */
    void add(double norm, boolean clamp, double zCap) {
        if (!(norm > 0) || Double.isInfinite(norm)) {
            return;
        }
        double x = Math.log(norm);
        if (count == 0) {
            mean = x;
            variance = 0;
        } else {
            if (clamp) {
                x = Math.min(x, mean + zCap * Math.max(Math.sqrt(variance), MIN_LOG_STD));
            }
            double diff = x - mean;
            mean += (1 - alpha) * diff;
            variance = alpha * (variance + (1 - alpha) * diff * diff);
        }
        count++;
    }
}
