/**
 * The shape of a monitored model, as the snapshot and the detectors see it: {@link io.github.dl4jgradmon.model.ModelLayout},
 * {@link io.github.dl4jgradmon.model.LayerSlot} and {@link io.github.dl4jgradmon.model.ParamSlot} are where each
 * trainable array lives in DL4J's flat buffers (read from DL4J's own views, never from the order of
 * {@code paramTable()}), which arrays are gradient-driven and which the layer moves itself; no ND4J arrays are kept.
 * {@link io.github.dl4jgradmon.model.LayerGraph} is how those layers connect (layers fed by the inputs, layers
 * feeding the outputs, reachability); {@link io.github.dl4jgradmon.model.GradientHandling} is what DL4J's
 * configuration does to a layer's gradient after the monitor measures it; {@link io.github.dl4jgradmon.model.ActivationKind}
 * whether a layer's activation saturates. The adapter that reads them from a network is internal
 * ({@code io.github.dl4jgradmon.internal.model}).
 */
package io.github.dl4jgradmon.model;
