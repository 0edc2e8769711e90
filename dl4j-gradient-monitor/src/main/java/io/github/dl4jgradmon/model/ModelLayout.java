package io.github.dl4jgradmon.model;

import java.util.List;

/**
 * The trainable parameter arrays of a model and where they sit in its flat buffers. Computed once per model; holds no
 * ND4J arrays.
 *
 * @param layers      layers with trainable parameters, in layer order
 * @param totalLength length of the model's flat parameter (and gradient) buffer
 */
public record ModelLayout(List<LayerSlot> layers, long totalLength) {

    public ModelLayout {
        layers = List.copyOf(layers);
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
