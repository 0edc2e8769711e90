package io.github.dl4jgradmon.clip;

/** Norm clipping over the whole model, each layer, or each parameter array. */
final class NormClipping extends GradientClipping {

    private static final long serialVersionUID = 1L;
    /** PyTorch's clip_grad_norm_ adds this to the norm before dividing. */
    static final double EPS = 1e-6;

    enum Scope { GLOBAL, LAYER, PARAM }

    private final Scope scope;
    private final double maxNorm;

    NormClipping(Scope scope, double maxNorm) {
        this.scope = scope;
        this.maxNorm = maxNorm;
    }

    double maxNorm() {
        return maxNorm;
    }

    @Override
    public String name() {
        return switch (scope) {
            case GLOBAL -> "globalNorm";
            case LAYER -> "perLayer";
            case PARAM -> "perParamType";
        };
    }

    @Override
    public Session newSession() {
        return target -> {
            switch (scope) {
                case GLOBAL -> clipGlobal(target, maxNorm);
                case LAYER -> {
                    for (int l = 0; l < target.layerCount(); l++) {
                        double n = target.layerNorm(l);
                        if (n > maxNorm) {
                            target.scaleLayer(l, maxNorm / (n + EPS));
                        }
                    }
                }
                case PARAM -> {
                    for (int s = 0; s < target.segmentCount(); s++) {
                        double n = target.segmentNorm(s);
                        if (n > maxNorm) {
                            target.scaleSegment(s, maxNorm / (n + EPS));
                        }
                    }
                }
            }
            return maxNorm;
        };
    }

    /** Scales the whole gradient to {@code max} when its global norm is above it. */
    static void clipGlobal(ClipTarget target, double max) {
        double n = target.globalNorm();
        if (n > max) {
            target.scaleAll(max / (n + EPS));
        }
    }

    @Override
    public String toString() {
        return name() + "(" + maxNorm + ")";
    }
}
