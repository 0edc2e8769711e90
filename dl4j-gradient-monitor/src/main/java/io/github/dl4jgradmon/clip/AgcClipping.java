package io.github.dl4jgradmon.clip;

import io.github.dl4jgradmon.model.LayerGraph;

/**
 * Adaptive gradient clipping, unit-wise (Brock, De, Smith, Simonyan 2021, "High-Performance Large-Scale Image
 * Recognition Without Normalization", NFNets; reference agc_optax.py). The paper leaves the final classifier layer
 * alone; here that is every layer that feeds a network output ({@link LayerGraph#isOutputSide}): the last layer of a
 * MultiLayerNetwork (the dense layer before a parameter-free LossLayer), each head of a multi-output graph.
 */
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
            LayerGraph graph = target.layout().graph();
            for (int l = 0; l < target.layerCount(); l++) {
                if (excludeOutputLayer && graph.isOutputSide(l)) {
                    continue; // every layer that feeds an output (each head of a multi-output graph)
                }
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
