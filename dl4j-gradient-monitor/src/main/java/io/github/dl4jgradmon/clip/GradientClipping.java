package io.github.dl4jgradmon.clip;

import io.github.dl4jgradmon.internal.util.Checks;

import java.io.Serializable;

/**
 * A clipping strategy applied by the monitor to the raw gradient in {@code onGradientCalculation}, in place, so DL4J's
 * updater applies the clipped gradient. Thresholds are in DL4J's batch-averaged units (those of
 * {@code gradientNormalizationThreshold}). Each factory checks its arguments and names the bad one.
 *
 * <pre>{@code
 * GradientMonitor monitor = GradientMonitor.builder()
 *         .clipping(GradientClipping.globalNorm(1.0))      // what PyTorch's clip_grad_norm_ does
 *         .build();
 * }</pre>
 *
 * <p>Strategies: {@link #globalNorm}, {@link #perLayer}, {@link #perParamType}, {@link #value}, and the adaptive
 * {@link #agc} (Brock et al. 2021), {@link #autoClip} (Seetharaman et al. 2020), {@link #zClip} (Kumar et al. 2025).
 * Instances are immutable configuration; per-model state lives in the {@link Session} each model gets.
 */
public abstract class GradientClipping implements Serializable {

    private static final long serialVersionUID = 1L;

    GradientClipping() {
    }

    /**
     * Scales the whole model's gradient by {@code maxNorm / (norm + 1e-6)} when its global L2 norm exceeds
     * {@code maxNorm}: the direction is kept, only the length shrinks. DL4J itself only clips per layer or per param.
     */
    public static GradientClipping globalNorm(double maxNorm) {
        return new NormClipping(NormClipping.Scope.GLOBAL, Checks.positiveFinite("maxNorm", maxNorm));
    }

    /** Scales each layer's gradient whose L2 norm exceeds {@code maxNorm} (like DL4J's {@code ClipL2PerLayer}). */
    public static GradientClipping perLayer(double maxNorm) {
        return new NormClipping(NormClipping.Scope.LAYER, Checks.positiveFinite("maxNorm", maxNorm));
    }

    /** Scales each parameter array whose L2 norm exceeds {@code maxNorm} (like DL4J's {@code ClipL2PerParamType}). */
    public static GradientClipping perParamType(double maxNorm) {
        return new NormClipping(NormClipping.Scope.PARAM, Checks.positiveFinite("maxNorm", maxNorm));
    }

    /** Clamps every gradient entry to {@code [-maxValue, maxValue]} (AutoTrainer's repair used 10). */
    public static GradientClipping value(double maxValue) {
        return new ValueClipping(Checks.positiveFinite("maxValue", maxValue));
    }

    /**
     * Adaptive gradient clipping, unit-wise: a unit's gradient may be at most {@code lambda} times its weights' norm
     * (floored at {@code eps}). The output layers (every layer that feeds a network output) are left alone, as in the
     * paper. Paper defaults: lambda 0.01 at batch
     * 4096, larger for small batches; eps 1e-3.
     */
    public static GradientClipping agc(double lambda) {
        return agc(lambda, 1e-3, true);
    }

    /** AGC with its floor and whether the output layers (the classifiers, one per graph output) are excluded. */
    public static GradientClipping agc(double lambda, double eps, boolean excludeOutputLayer) {
        return new AgcClipping(Checks.positiveFinite("lambda", lambda), Checks.positiveFinite("eps", eps),
                excludeOutputLayer);
    }

    /**
     * AutoClip: clips the global norm at the {@code percentile}-th percentile of the norms this run has seen (its last
     * {@code historySize} iterations, current one included). The paper recommends percentile 10.
     */
    public static GradientClipping autoClip(double percentile, int historySize) {
        return new AutoClipClipping(Checks.percentile("percentile", percentile),
                Checks.atLeast("historySize", historySize, 1));
    }

    /** AutoClip with the paper's percentile 10 over the last 1,000 iterations. */
    public static GradientClipping autoClip() {
        return autoClip(10, 1_000);
    }

    /**
     * ZClip: an EMA of the global norm's mean and variance (smoothing {@code alpha}); after {@code warmup}
     * iterations, a norm whose z-score exceeds {@code zThreshold} is clipped to
     * {@code mean + zThreshold * std / (z / zThreshold)}, and the EMA takes the clipped value.
     */
    public static GradientClipping zClip(double alpha, double zThreshold, int warmup) {
        return zClip(alpha, zThreshold, warmup, Double.POSITIVE_INFINITY);
    }

    /**
     * ZClip with a hard cap: norms above {@code maxNorm} are first clipped to it (also during warm-up), as the
     * reference implementation's {@code max_grad_norm} does. Spikes are relative; the cap bounds a sustained climb,
     * which an EMA baseline follows.
     */
    public static GradientClipping zClip(double alpha, double zThreshold, int warmup, double maxNorm) {
        return new ZClipClipping(Checks.openUnit("alpha", alpha), Checks.positiveFinite("zThreshold", zThreshold),
                Checks.atLeast("warmup", warmup, 2), Checks.positive("maxNorm", maxNorm)); // Infinity: no cap
    }

    /** ZClip with the paper's defaults: alpha 0.97, z threshold 2.5, 25 warm-up iterations. */
    public static GradientClipping zClip() {
        return zClip(0.97, 2.5, 25);
    }

    /** Short name for logs and snapshots, e.g. {@code globalNorm}. */
    public abstract String name();

    /** Fresh per-model state. */
    public abstract Session newSession();

    /** Per-model clipping state; called on that model's training thread only. */
    public interface Session {
        /**
         * Clips the target in place.
         *
         * @return the threshold used this iteration (batch-averaged units), NaN when not applicable
         */
        double apply(ClipTarget target);
    }
}
