package io.github.dl4jgradmon.model;

import java.util.List;

/**
 * One layer (MultiLayerNetwork) or vertex (ComputationGraph) that has at least one trainable parameter array.
 *
 * @param name   the layer or vertex name as DL4J names it
 * @param index  MultiLayerNetwork layer index, or position in the ComputationGraph's topological order
 * @param type   the layer configuration's simple class name
 * @param params its trainable parameter arrays, in flat-buffer order
 * @param activation whether (and how) its activation function saturates
 * @param activationName the activation function the layer applies, as ND4J names it ({@code relu}, {@code sigmoid},
 *                   {@code tanh}, {@code leakyrelu}, {@code softmax}, ...); for the LSTM family the configured one (its
 *                   cell activation); empty for layers that apply none to their output (batch normalization)
 */
public record LayerSlot(String name, int index, String type, List<ParamSlot> params, ActivationKind activation,
                        String activationName) {

    public LayerSlot {
        params = List.copyOf(params);
        java.util.Objects.requireNonNull(activation, "activation");
        java.util.Objects.requireNonNull(activationName, "activationName");
    }

    /** A layer whose activation is not measured for saturation. */
    public LayerSlot(String name, int index, String type, List<ParamSlot> params) {
        this(name, index, type, params, ActivationKind.OTHER, "");
    }

    /** A layer whose activation function is not named. */
    public LayerSlot(String name, int index, String type, List<ParamSlot> params, ActivationKind activation) {
        this(name, index, type, params, activation, "");
    }
}
