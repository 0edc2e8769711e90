/**
 * Per-layer gradient statistics: the immutable values users read
 * ({@link io.github.dl4jgradmon.stats.GradientSnapshot}, {@link io.github.dl4jgradmon.stats.LayerGradientStats},
 * {@link io.github.dl4jgradmon.stats.ParamGradientStats}, {@link io.github.dl4jgradmon.stats.MovedParamStats},
 * {@link io.github.dl4jgradmon.stats.Reaction}, {@link io.github.dl4jgradmon.stats.UnwatchedLayers} for the layers a layer
 * filter leaves out) and {@link io.github.dl4jgradmon.stats.BufferPath}, which way a
 * worker reads DL4J's buffers (the host fast path, or ND4J operations on any backend, forced with
 * {@code -Ddl4jgradmon.nd4jPath=true}). The machinery that computes them is internal
 * ({@code io.github.dl4jgradmon.internal.stats}).
 *
 * <p>Units: DL4J's raw gradient at {@code onGradientCalculation} is a sum over the minibatch; its updater divides by
 * the minibatch size (when {@code miniBatch(true)}, the default) before {@code GradientNormalization} and the updater.
 * Every gradient magnitude here is divided the same way, so thresholds compare with DL4J's
 * {@code gradientNormalizationThreshold}.
 */
package io.github.dl4jgradmon.stats;
