package io.github.dl4jgradmon.stats;

/**
 * Statistics of one parameter array (a layer's {@code W}, {@code b}, {@code RW}, {@code gamma}, ...) at one iteration.
 *
 * <p>Gradient magnitudes are in DL4J's batch-averaged units, the units of
 * {@code gradientNormalizationThreshold}: the raw gradient DL4J computes is summed over the minibatch, and is divided by
 * the minibatch size here, exactly as DL4J's updater does before it applies normalization and the learning rate.
 *
 * <pre>{@code
 * ParamGradientStats w = snapshot.layers().get(0).params().get("W");
 * double relativeStep = w.updateRatio(); // around 1e-3 is healthy
 * }</pre>
 *
 * @param size          number of entries in the array
 * @param gradientNorm  L2 norm of the gradient (NaN if the gradient holds a NaN or an Inf)
 * @param meanAbs       mean of |g| over the finite entries
 * @param maxAbs        largest finite |g|
 * @param zeroFraction  fraction of entries whose gradient is exactly zero
 * @param nanCount      entries that are NaN
 * @param infCount      entries that are +-Inf
 * @param paramNorm     L2 norm of the parameters before this iteration's update
 * @param updateNorm    L2 norm of the update DL4J applied (after learning rate, updater, normalization); NaN when the
 *                      update was not observed (the iteration did not complete)
 * @param updateRatio   {@code updateNorm / paramNorm}; NaN when either is unknown or the parameters are all zero
 */
public record ParamGradientStats(long size, double gradientNorm, double meanAbs, double maxAbs, double zeroFraction,
                                 long nanCount, long infCount, double paramNorm, double updateNorm,
                                 double updateRatio) {

    public ParamGradientStats {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0 (got: " + size + ")");
        }
        if (nanCount < 0 || infCount < 0) {
            throw new IllegalArgumentException(
                    "nanCount and infCount must be >= 0 (got: " + nanCount + ", " + infCount + ")");
        }
        if (!(zeroFraction >= 0 && zeroFraction <= 1) && !Double.isNaN(zeroFraction)) {
            throw new IllegalArgumentException("zeroFraction must be in [0, 1] (got: " + zeroFraction + ")");
        }
    }

    /** True when every gradient entry is finite. */
    public boolean isFinite() {
        return nanCount == 0 && infCount == 0;
    }
}
