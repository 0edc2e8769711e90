/**
 * The single adapter between DL4J's two network types and the rest of the monitor.
 * {@link io.github.dl4jgradmon.model.ModelAdapter} knows how a {@code MultiLayerNetwork} and a
 * {@code ComputationGraph} lay out their flat parameter and gradient buffers (the same order as DL4J's updater:
 * layers in index or topological order, each layer's {@code paramTable(false)} back to back), which arrays are real
 * gradients (not BatchNormalization's running statistics, not frozen or NoOp-updated parameters), the minibatch
 * divisor, the updater state and the learning rates. {@link io.github.dl4jgradmon.model.ModelLayout},
 * {@link io.github.dl4jgradmon.model.LayerSlot} and {@link io.github.dl4jgradmon.model.ParamSlot} are the plain
 * offsets it produces: no ND4J arrays are kept. Internal: public for the monitor's packages only.
 */
package io.github.dl4jgradmon.model;
