/**
 * Gradient health for Deeplearning4j training: {@link io.github.dl4jgradmon.GradientMonitor}, the one DL4J
 * {@code TrainingListener} of this library, and its builder options.
 *
 * <p>Public here: {@code GradientMonitor} and its {@code Builder}, {@link io.github.dl4jgradmon.SnapshotHandler},
 * {@link io.github.dl4jgradmon.SkipBudget}, {@link io.github.dl4jgradmon.LearningRateBackoff} and the service
 * interface {@link io.github.dl4jgradmon.StatsStorageSinkFactory} (implemented by the UI module). Everything else in
 * this package is internal: per-model state ({@code WorkerState}, {@code WorkerRegistry}), the bounded histories,
 * fault containment, alert-repeat limiting.
 *
 * <p>How one iteration flows: at {@code onGradientCalculation} the monitor reads DL4J's flat gradient buffer (the raw
 * gradient, summed over the minibatch) and the parameters in one pass ({@code stats} package), then reacts if asked
 * (clipping in place, or saving parameters and updater state to undo a poisoned step). At {@code iterationDone} the
 * buffer holds the applied update: one more pass gives update norms; a snapshot is published to the bounded history,
 * the snapshot handlers and the detectors, whose alerts go to the log and the alert handlers.
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
