/**
 * Internal: how the statistics are read and computed. {@code StatsPass} chooses between the host fast path
 * ({@code HostStatsPass}: DL4J's native buffers read directly, {@code FlatBuffer}, {@code Kernels},
 * {@code VectorKernels}) and the ND4J-operations path ({@code Nd4jStatsPass}, in double precision); both fill a
 * {@code LayoutScanner}'s raw sums, which {@code SnapshotAssembler} turns into the public
 * {@link io.github.dl4jgradmon.stats.GradientSnapshot} in batch-averaged units. {@code FlatSegments} is how reactions
 * write the buffers; {@code StepHeader} what identifies a step.
 */
package io.github.dl4jgradmon.internal.stats;
