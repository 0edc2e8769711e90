package io.github.dl4jgradmon.model;

import java.util.List;
import java.util.Objects;

/**
 * The trainable parameter arrays of a model and where they sit in its flat buffers, and how its layers connect.
 * Computed once per model; holds no ND4J arrays.
 *
 * @param layers      layers with trainable parameters, in layer order
 * @param totalLength length of the model's flat parameter (and gradient) buffer
 * @param graph       how those layers connect: which are fed by the inputs, which feed the outputs
 */
public record ModelLayout(List<LayerSlot> layers, long totalLength, LayerGraph graph) {

    public ModelLayout {
        layers = List.copyOf(layers);
        Objects.requireNonNull(graph, "graph");
        if (graph.size() != layers.size()) {
            throw new IllegalArgumentException("graph must describe the " + layers.size() + " layers (got: "
                    + graph.size() + ")");
        }
    }

    /** A layout whose layers form a chain (a MultiLayerNetwork). */
    public ModelLayout(List<LayerSlot> layers, long totalLength) {
        this(layers, totalLength, LayerGraph.chain(layers.size()));
    }

    /** Whether any layer's activation saturates (sigmoid, tanh): only then is the forward pass read. */
    public boolean measuresSaturation() {
        for (LayerSlot layer : layers) {
            if (layer.activation().saturates()) {
                return true;
            }
        }
        return false;
    }
}
