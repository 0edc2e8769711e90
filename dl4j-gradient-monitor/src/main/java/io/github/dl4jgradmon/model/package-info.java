/**
 * The single adapter between DL4J's two network types and the rest of the monitor.
 * {@link io.github.dl4jgradmon.model.ModelAdapter} knows how a {@code MultiLayerNetwork} and a
 * {@code ComputationGraph} lay out their flat parameter and gradient buffers (layers in updater order; each
 * parameter's place read from DL4J's own parameter and gradient views by {@code ParamViews}, never from the order of
 * {@code paramTable()}), which arrays are gradient-driven and which the layer moves itself (BatchNormalization's
 * running statistics, CenterLossOutputLayer's centers), the minibatch divisor, the updater state and the learning
 * rates. {@link io.github.dl4jgradmon.model.ModelLayout},
 * {@link io.github.dl4jgradmon.model.LayerSlot} and {@link io.github.dl4jgradmon.model.ParamSlot} are the plain
 * offsets it produces: no ND4J arrays are kept. {@link io.github.dl4jgradmon.model.LayerGraph} is how those layers
 * connect (layers fed by the inputs, layers feeding the outputs, reachability), read from a ComputationGraph's
 * configuration, a chain for a MultiLayerNetwork. Which layer types apply their configured activation to the output
 * they hand on (and so can saturate) is decided per type and pinned against DL4J's real forward pass.
 * {@link io.github.dl4jgradmon.model.GradientHandling} (what DL4J's configuration does to a layer's gradient after the
 * monitor measures it) and {@link io.github.dl4jgradmon.model.LayerGraph} are part of the public snapshot; everything
 * else here is internal: public for the monitor's packages only.
 */
package io.github.dl4jgradmon.model;
