/**
 * Internal: {@code ModelAdapter}, the single adapter between DL4J's network types (and a layer being pretrained) and
 * the rest of the monitor. It computes the public {@link io.github.dl4jgradmon.model.ModelLayout} from DL4J's own
 * parameter and gradient views ({@code ParamViews}), and reads DL4J's counters, minibatch, updater state and learning
 * rates.
 */
package io.github.dl4jgradmon.internal.model;
