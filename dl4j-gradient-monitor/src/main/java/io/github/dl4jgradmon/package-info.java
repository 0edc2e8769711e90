/**
 * Gradient health for Deeplearning4j training: {@link io.github.dl4jgradmon.GradientMonitor}, the one DL4J
 * {@code TrainingListener} of this library, and its builder options.
 *
 * <p>Public here: {@code GradientMonitor} and its {@code Builder}, {@link io.github.dl4jgradmon.SnapshotHandler},
 * the reaction settings {@link io.github.dl4jgradmon.StepBudget} (for skipped and unprotected steps) and
 * {@link io.github.dl4jgradmon.LearningRateBackoff}, the layer selection {@link io.github.dl4jgradmon.LayerFilter}, and the
 * service interface
 * {@link io.github.dl4jgradmon.StatsStorageSinkFactory} (implemented by the UI module). Everything else in this
 * package is internal: {@code Worker} (one model's step flow), {@code WorkerRegistry}, {@code MonitorContext}, the bounded
 * {@code History}, alert-repeat limiting ({@code AlertRepeats}), and what a layer filter costs in coverage, said once
 * ({@code FilterNotices}).
 *
 * <p>How one iteration flows, one way: DL4J callback -> statistics -> reactions -> snapshot -> detectors -> alerts
 * -> sinks. {@code GradientMonitor} only wires: each callback hands off to the model's {@code Worker}. At
 * {@code onForwardPass} sigmoid/tanh saturation is measured. At {@code onGradientCalculation} a new step begins
 * (anything a reaction kept for an earlier step is dropped); DL4J's flat gradient buffer (the raw gradient, summed
 * over the minibatch) and the parameters are read in one pass ({@code stats}), then the reactions run
 * ({@code react}: skip a poisoned step, else clip in place). At {@code iterationDone} a skipped step is restored, one more pass gives
 * update norms, and a snapshot is published to the bounded history, the snapshot handlers and the detectors
 * ({@code detect}), whose alerts go through {@code alert.AlertDelivery} to the history, the rate-limited log and the
 * alert handlers, each isolated; the learning-rate back-off then sees them.
 *
 * <p>Backends: the buffers are read straight from host memory on ND4J's CPU backend (FLOAT/DOUBLE models) and
 * through ND4J operations everywhere else (see {@code stats.BufferPath}).
 *
 * <p>Concurrency and distribution. ParallelWrapper calls one instance from several threads, each with its own model:
 * state is looked up by model identity, so statistics are never mixed and the user's instance sees every worker. The
 * monitor deliberately does not implement DL4J's {@code RoutingIterationListener}: ParallelWrapper would clone such a
 * listener per worker and the user's instance would see nothing. For Spark, where each executor deserializes its own
 * copy (the monitor is {@code Serializable}; a copy keeps its configuration and starts empty), the records posted
 * through {@code statsStorage(router)} are the channel back to the driver: Spark routes a router's records from the
 * executors to the driver's storage, so a Spark integration can add a {@code RoutingIterationListener} wrapper that
 * sets the router per executor without changing the monitor.
 */
package io.github.dl4jgradmon;
