package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.model.LayerGraph;
import io.github.dl4jgradmon.stats.GradientSnapshot;

/**
 * The output-side layer a layer's gradient norm is compared with: the layer-pair rules (vanishing, AutoTrainer's
 * ratio) compare a layer with the output-side layers it feeds, not with the last layer in topological order: on a
 * graph with several inputs or outputs that would be the wrong pair. Lookups only, no allocation.
 */
final class OutputReference {

    private OutputReference() {
    }

    /**
     * The largest finite gradient norm among the output-side layers downstream of layer {@code i}; NaN when there is
     * none (the layer is output-side itself and feeds no other output-side layer) or all are zero.
     */
    static double norm(GradientSnapshot s, int i) {
        int o = layer(s, i);
        return o < 0 ? Double.NaN : s.layers().get(o).gradientNorm();
    }

    /** The index of the layer {@link #norm} reads, or -1. */
    static int layer(GradientSnapshot s, int i) {
        LayerGraph graph = s.graph();
        int best = -1;
        double bestNorm = 0;
        for (int k = 0; k < graph.outputSideCount(); k++) {
            int o = graph.outputSide(k);
            if (o == i || !graph.reaches(i, o)) {
                continue;
            }
            double n = s.layers().get(o).gradientNorm();
            if (Double.isFinite(n) && n > bestNorm) {
                bestNorm = n;
                best = o;
            }
        }
        return best;
    }
}
