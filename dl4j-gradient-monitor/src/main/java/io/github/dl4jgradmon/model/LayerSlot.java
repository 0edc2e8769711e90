package io.github.dl4jgradmon.model;

import java.util.List;
import java.util.Objects;

/**
 * One layer (MultiLayerNetwork) or vertex (ComputationGraph) that has at least one trainable parameter array.
 *
 * @param name       the layer or vertex name as DL4J names it
 * @param index      MultiLayerNetwork layer index, or position in the ComputationGraph's topological order
 * @param type       the layer configuration's simple class name
 * @param params     its gradient-driven parameter arrays (an updater other than {@code NoOp} applies their
 *                   gradient), in flat-buffer order
 * @param moved      parameter arrays the layer moves itself, with a {@code NoOp} updater and no gradient
 *                   ({@code CenterLossOutputLayer}'s centers {@code cL}, {@code BatchNormalization}'s running
 *                   {@code mean} and {@code var} or {@code log10stdev}), in flat-buffer order: their values and
 *                   changes are measured, never their "gradient", and clipping leaves them alone
 * @param activation whether (and how) its activation function saturates
 * @param activationName the activation function the layer applies, as ND4J names it ({@code relu}, {@code sigmoid},
 *                   {@code tanh}, {@code leakyrelu}, {@code softmax}, ...); for the LSTM family the configured one (its
 *                   cell activation); empty for layers that apply none to their output (batch normalization)
 * @param handling   the gradient normalization and regularization DL4J applies to it between the measured gradient
 *                   and the update
 */
public record LayerSlot(String name, int index, String type, List<ParamSlot> params, List<ParamSlot> moved,
                        ActivationKind activation, String activationName, GradientHandling handling) {

    public LayerSlot {
        params = List.copyOf(params);
        moved = List.copyOf(moved);
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(activationName, "activationName");
        Objects.requireNonNull(handling, "handling");
    }

    /** A layer without moved parameters, gradient normalization or regularization. */
    public LayerSlot(String name, int index, String type, List<ParamSlot> params, ActivationKind activation) {
        this(name, index, type, params, List.of(), activation, "", GradientHandling.NONE);
    }

    /** A layer whose activation is not measured for saturation, without moved parameters or DL4J handling. */
    public LayerSlot(String name, int index, String type, List<ParamSlot> params) {
        this(name, index, type, params, List.of(), ActivationKind.OTHER, "", GradientHandling.NONE);
    }

    /** A layer with a named activation, without moved parameters or DL4J handling. */
    public LayerSlot(String name, int index, String type, List<ParamSlot> params, ActivationKind activation,
                     String activationName) {
        this(name, index, type, params, List.of(), activation, activationName, GradientHandling.NONE);
    }
}
