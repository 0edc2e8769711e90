package io.github.dl4jgradmon.stats;

import java.util.Objects;

/**
 * The layers a layer filter left out of a snapshot ({@code GradientMonitor.Builder.layers(...)} /
 * {@code excludeLayers(...)}), reduced to what protections need: one sum of squares over their gradient, read at the
 * same step, so that a NaN or Inf anywhere in the model is still seen (NON_FINITE, step skipping) and the global norm
 * still covers the whole model. Their per-layer statistics are not computed.
 *
 * <pre>{@code
 * snapshot.unwatched().ifPresent(u -> System.out.println(u.layerCount() + " layers not watched (" + u.filter() + ")"));
 * }</pre>
 *
 * @param filter       the filter, as the monitor describes it ({@code layers=[output] excludeLayers=[...]})
 * @param layerCount   layers with trainable parameters left out (0 when the filter happens to watch them all)
 * @param paramCount   gradient-driven parameters in those layers
 * @param gradientNorm L2 norm of their gradient, batch-averaged units; NaN when an entry is NaN, +Inf when one is
 *                     infinite (and none NaN)
 * @param nanCount     NaN entries of their gradient
 * @param infCount     infinite entries of their gradient
 */
public record UnwatchedLayers(String filter, int layerCount, long paramCount, double gradientNorm, long nanCount,
                              long infCount) {

    public UnwatchedLayers {
        Objects.requireNonNull(filter, "filter");
        if (layerCount < 0 || paramCount < 0 || nanCount < 0 || infCount < 0) {
            throw new IllegalArgumentException("counts must be >= 0 (got: layers " + layerCount + ", params "
                    + paramCount + ", NaN " + nanCount + ", Inf " + infCount + ")");
        }
    }

    /** True when no gradient entry of the unwatched layers is NaN or Inf. */
    public boolean isFinite() {
        return nanCount == 0 && infCount == 0;
    }
}
