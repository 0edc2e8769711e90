package io.github.dl4jgradmon.stats;

/**
 * Statistics of a parameter array the layer moves itself rather than through a gradient and an updater:
 * {@code CenterLossOutputLayer}'s class centers {@code cL} and {@code BatchNormalization}'s running {@code mean} and
 * {@code var} (or {@code log10stdev}). DL4J writes their step into the gradient buffer and applies it with a
 * {@code NoOp} updater, so what sits there is not a gradient: only the values and their change are reported, and
 * these arrays take no part in gradient norms, detectors or clipping.
 *
 * <pre>{@code
 * MovedParamStats centers = snapshot.layer("out").orElseThrow().moved().get("cL");
 * System.out.println("centers moved by " + centers.updateNorm());
 * }</pre>
 *
 * @param size        number of entries in the array
 * @param paramNorm   L2 norm of the values before this iteration's step
 * @param updateNorm  L2 norm of the change DL4J applied in this iteration (the step the layer computed); NaN when the
 *                    iteration did not complete
 * @param updateRatio {@code updateNorm / paramNorm}; NaN when either is unknown or the values are all zero
 */
public record MovedParamStats(long size, double paramNorm, double updateNorm, double updateRatio) {

    public MovedParamStats {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0 (got: " + size + ")");
        }
    }
}
