/**
 * Per-layer gradient statistics: the immutable values users read
 * ({@link io.github.dl4jgradmon.stats.GradientSnapshot}, {@link io.github.dl4jgradmon.stats.LayerGradientStats},
 * {@link io.github.dl4jgradmon.stats.ParamGradientStats}, {@link io.github.dl4jgradmon.stats.Reaction}) and the
 * machinery that computes them.
 *
 * <p>Internal (public only for the monitor's use): {@code StatsPass} is the selection point between two ways of
 * reading and writing DL4J's flat {@code [1, N]} buffers ({@code BufferPath}): the host fast path
 * ({@code HostStatsPass}, CPU backend, FLOAT/DOUBLE) and a path built on ND4J operations ({@code Nd4jStatsPass}),
 * correct on any backend and any floating-point type, forced on the CPU with {@code -Ddl4jgradmon.nd4jPath=true}.
 * Both fill the same {@code LayoutScanner} sums and hand reactions a {@code FlatSegments} to write through.
 * {@code FlatBuffer} reads the buffers as direct NIO buffers, with no ND4J op and no copy of the model; {@code LayoutScanner} splits the trainable parameter
 * arrays into pieces shared by the training thread and helper threads ({@code Parallel}; the training thread waits
 * for every piece it handed out before the callback returns, so no read of a model's buffer outlives it: a failed
 * step may be followed at once by {@code model.close()}, which frees them); {@code Kernels} holds the
 * fused pass, which accumulates lane-wise so that HotSpot emits SIMD code, and an exact double-precision pass taken
 * only for segments whose fast sum is not finite (NaN/Inf counting, float overflow); {@code SnapshotAssembler}
 * converts raw sums into DL4J's batch-averaged units.
 *
 * <p>Units: DL4J's raw gradient at {@code onGradientCalculation} is a sum over the minibatch; its updater divides by
 * the minibatch size (when {@code miniBatch(true)}, the default) before {@code GradientNormalization} and the updater.
 * Every gradient magnitude here is divided the same way, so thresholds compare with DL4J's
 * {@code gradientNormalizationThreshold}.
 */
package io.github.dl4jgradmon.stats;
