/**
 * The GradientMonitor on Spark: statistics, detectors and reactions on every executor, the workers' records and
 * alerts gathered on the driver. Public: {@link io.github.dl4jgradmon.spark.SparkGradientMonitor} (with its builder),
 * {@link io.github.dl4jgradmon.spark.WorkerConfig} and {@link io.github.dl4jgradmon.spark.RunSummary}; everything
 * else is internal. The core library has no Spark dependency; this module depends on it, on the UI module (its
 * records) and on {@code dl4j-spark_2.12} 1.0.0-M2.
 *
 * <pre>{@code
 * SparkGradientMonitor monitor = SparkGradientMonitor.builder()
 *         .worker(b -> b.skipNonFiniteSteps(true))       // any GradientMonitor option, applied on each worker
 *         .statsStorage(storage)                          // optional: the /gradmon page shows every worker
 *         .build();
 * monitor.attachTo(sparkNet);                             // SparkDl4jMultiLayer or SparkComputationGraph
 * sparkNet.fit(rdd);
 * monitor.alerts();                                       // worker, layer, iteration of each alert
 * monitor.summary().toText();                             // how many workers saw which alert
 * }</pre>
 *
 * <h2>How it travels</h2>
 * dl4j-spark serializes the listeners into every task; each task deserializes a fresh copy, builds a fresh model and
 * gives the copy (a {@code RoutingIterationListener}) a collecting router. The worker's {@code GradientMonitor} is
 * not in the copy: it lives in the executor JVM, one per (session, series), and each task of the series leases it and
 * continues it on the task's fresh model ({@code GradientMonitor.continueOn}), so detector windows and baselines,
 * alert repeats, clipping histories and the skip and lapse budgets run over the series' steps as they would on one
 * machine. The first task of a series builds it from the {@link io.github.dl4jgradmon.spark.WorkerConfig}. A step
 * pending when a task ends is dropped, never applied to the next task's model. The monitor posts each snapshot and
 * alert through the router of the task that runs now, as the UI module's records, under the driver's session ID and
 * the worker's series name
 * {@code "<executor id>-p<partition>"} ({@code "driver-p0"}, {@code "driver-p1"} in local mode, where Spark names its
 * only executor "driver"). The parameter-averaging master returns the records with each task's result and replays them
 * into the driver's router, the monitor's {@link io.github.dl4jgradmon.spark.SparkGradientMonitor#router()}, once per
 * averaging split: it logs and keeps the alerts, counts, and forwards every record to the user's storage.
 *
 * <h2>What a worker's gradient is</h2>
 * <ul>
 *   <li><b>{@code ParameterAveragingTrainingMaster}</b> (supported). Each worker starts a split from the driver's
 *   parameters (and, with {@code saveUpdater}, the averaged updater state) and takes {@code averagingFrequency} plain
 *   local steps on its own minibatches of {@code batchSizePerWorker} examples. Its gradient is <em>local</em>: the
 *   gradient of its own minibatch at its own, diverging parameters, batch-averaged (the raw sum divided by its
 *   minibatch size), before any averaging; parameter norms, update norms and update:parameter ratios are of its own
 *   local step. Nothing is encoded. Averaging happens afterwards on the driver: the new parameters are the mean of
 *   the workers' parameters, so with averaging frequency 1 the driver's step is the mean of the workers' steps (the
 *   tests check exactly that against an SGD oracle). Reactions act on the worker's local step before averaging:
 *   clipping scales that worker's step; a skipped step leaves the worker's parameters where the split started, and
 *   the average still counts them, so with {@code n} workers the split moves by {@code (n-1)/n} of the clean workers'
 *   mean step. Iterations are numbered as the driver's network counts them (the split's start plus the local step),
 *   so the workers of one split report the same iteration numbers.</li>
 *   <li><b>{@code SharedTrainingMaster}</b> (gradient sharing, {@code dl4j-spark-parameterserver_2.12} 1.0.0-M2):
  not supported by {@code attachTo}. Probed in local[2]: it resolves only with {@code deeplearning4j-common-tests}
  excluded, and trains only with {@code --add-opens=java.base/sun.nio.ch=ALL-UNNAMED} (Aeron) and
  {@code -Daeron.publication.unblock.timeout=60000000000} (Aeron refuses DL4J's 30 s client liveness timeout
  otherwise). It then ships the driver's router inside each task, so a driver-side storage (or this module's driver
  router) fails with "Task not serializable", and its result carries no listener records. A
  {@code RemoteUIStatsStorageRouter} set with {@code sparkNet.setListeners(remoteRouter, monitor.listener())} before
  the JVM's first {@code fit} does deliver the worker's records to a UI server (listeners set after the first fit are
  ignored: its training wrapper is a JVM-wide singleton), but {@link
  io.github.dl4jgradmon.spark.SparkGradientMonitor#alerts()} and {@code summary()} stay empty and, in local mode, one
  model per JVM trains. There a worker's gradient at {@code onGradientCalculation} is its raw local gradient, before
  threshold encoding; its parameters move by the decoded, thresholded sum of every worker's updates.</li>
</ul>
 *
 * <h2>Limits</h2>
 * A series continues only within one executor JVM: a partition that runs on another executor (a lost executor,
 * dynamic allocation, or simply the scheduler placing partition {@code i} of the next split elsewhere, which a
 * cluster may do) is another series there, with its own windows; a series that gets its partition back after such
 * a move continues where it stopped, its iteration numbers jumping over the splits it did not train. An executor
 * keeps at most 64 series (least recently used dropped; a new session drops the idle series of others). A second attempt of a task running while the first still holds its series (speculative execution) gets a
 * monitor of its own for that attempt. The first step of each task has no saturation measurement (it is taken from
 * the forward pass, before the new model's layout is checked). Alerts and records reach the driver when a split
 * ends, not during it. Handlers set in the {@code WorkerConfig} run on the executors and live as long as the series'
 * monitor; driver-side handlers go to {@link io.github.dl4jgradmon.spark.SparkGradientMonitor.Builder#onAlert}.
 */
package io.github.dl4jgradmon.spark;
