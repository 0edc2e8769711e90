package io.github.dl4jgradmon.model;

import java.util.List;

/**
 * One layer (MultiLayerNetwork) or vertex (ComputationGraph) that has at least one trainable parameter array.
 *
 * @param name   the layer or vertex name as DL4J names it
 * @param index  MultiLayerNetwork layer index, or position in the ComputationGraph's topological order
 * @param type   the layer configuration's simple class name
 * @param params its trainable parameter arrays, in flat-buffer order
 */
public record LayerSlot(String name, int index, String type, List<ParamSlot> params) {

    public LayerSlot {
        params = List.copyOf(params);
    }
}
