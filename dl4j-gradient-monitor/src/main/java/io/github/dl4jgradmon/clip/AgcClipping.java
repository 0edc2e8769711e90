package io.github.dl4jgradmon.clip;

/** Adaptive gradient clipping, unit-wise (Brock, De, Smith, Simonyan 2021, "High-Performance Large-Scale Image
 * Recognition Without Normalization", NFNets; reference agc_optax.py). */
final class AgcClipping extends GradientClipping {

    private static final long serialVersionUID = 1L;

    private final double lambda;
    private final double eps;
    private final boolean excludeOutputLayer;

    AgcClipping(double lambda, double eps, boolean excludeOutputLayer) {
        this.lambda = lambda;
        this.eps = eps;
        this.excludeOutputLayer = excludeOutputLayer;
    }

    @Override
    public String name() {
        return "agc";
    }

    @Override
    public Session newSession() {
        return target -> {
            int layers = target.layerCount() - (excludeOutputLayer ? 1 : 0);
            for (int l = 0; l < layers; l++) {
                for (int s = target.firstSegment(l); s < target.endSegment(l); s++) {
                    target.agcSegment(s, lambda, eps);
                }
            }
            return lambda;
        };
    }

    @Override
    public String toString() {
        return "agc(lambda=" + lambda + ", eps=" + eps + ", excludeOutputLayer=" + excludeOutputLayer + ")";
    }
}
