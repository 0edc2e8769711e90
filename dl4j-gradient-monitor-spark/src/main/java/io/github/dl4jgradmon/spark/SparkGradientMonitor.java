package io.github.dl4jgradmon.spark;

import io.github.dl4jgradmon.GradientMonitor;
import io.github.dl4jgradmon.alert.AlertHandler;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Slf4jAlertHandler;
import io.github.dl4jgradmon.internal.alert.Faults;
import io.github.dl4jgradmon.internal.util.Checks;
import io.github.dl4jgradmon.ui.StorageIds;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.SparkListenable;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@link GradientMonitor} on every Spark worker, with the workers' records and alerts gathered on the driver.
 *
 * <pre>{@code
 * StatsStorage storage = new FileStatsStorage(new File("stats.bin"));     // optional: for the /gradmon page
 * SparkGradientMonitor monitor = SparkGradientMonitor.builder()
 *         .worker(b -> b.skipNonFiniteSteps(true))                        // any GradientMonitor option, per worker
 *         .statsStorage(storage)
 *         .build();
 * monitor.attachTo(sparkNet);                                             // SparkDl4jMultiLayer or SparkComputationGraph
 * sparkNet.fit(rdd);
 * monitor.alerts().forEach(a -> System.out.println(a.workerId() + " " + a.layer() + " " + a.iteration()));
 * System.out.println(monitor.summary().toText());
 * }</pre>
 *
 * <p>On each executor, each task deserializes a fresh copy of {@link #listener()}, which runs the worker's
 * GradientMonitor on the task's model: statistics, detectors, clipping and skipping act on that worker's own steps.
 * The monitor is built from {@link Builder#worker(WorkerConfig)} by the series' first task and kept in the executor
 * JVM, so the series' later tasks continue its detector windows and reactions on their fresh models. Its snapshots and alerts are posted as the UI module's
 * records (session {@link #sessionId()}, worker = the series name, e.g. {@code "driver-p1"}: executor id and
 * partition) through the task's router; dl4j-spark's parameter-averaging master ships them back with the task's result
 * and replays them into {@link #router()} on the driver. There alerts are logged (one line each, rate-limited, naming
 * the worker), kept ({@link #alerts()}, bounded), counted ({@link #summary()}), handed to the driver-side
 * {@link Builder#onAlert} handlers, and every record is forwarded to {@link Builder#statsStorage} for the /gradmon page.
 *
 * <p>Supported: {@link ParameterAveragingTrainingMaster}. See the package documentation for what a worker's gradient
 * is there, and why {@code SharedTrainingMaster} is not supported.
 */
public final class SparkGradientMonitor {

    private final String sessionId;
    private final SparkWorkerListener listener;
    private final DriverLedger ledger;
    private final DriverRouter router;
    private final Faults faults = new Faults();

    private SparkGradientMonitor(Builder b) {
        this.sessionId = b.sessionId == null ? UUID.randomUUID().toString() : b.sessionId;
        this.listener = new SparkWorkerListener(sessionId, b.worker);
        List<AlertHandler> handlers = new ArrayList<>();
        if (b.logAlerts) {
            handlers.add(new Slf4jAlertHandler());
        }
        handlers.addAll(b.handlers);
        this.ledger = new DriverLedger(b.alertHistorySize, handlers, faults);
        this.router = new DriverRouter(b.statsStorage, sessionId, ledger, faults);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Sets this monitor's worker listener (plus {@code others}, e.g. DL4J's {@code StatsListener}) on the network with
     * {@link #router()} as the router the workers' records are replayed into. Replaces the network's listeners, as
     * {@code setListeners} does.
     *
     * @throws IllegalArgumentException when the network's training master is not a ParameterAveragingTrainingMaster
     */
    public void attachTo(SparkDl4jMultiLayer net, TrainingListener... others) {
        attach(net, net.getTrainingMaster(), others);
    }

    /** As {@link #attachTo(SparkDl4jMultiLayer, TrainingListener...)}, for a ComputationGraph. */
    public void attachTo(SparkComputationGraph net, TrainingListener... others) {
        attach(net, net.getTrainingMaster(), others);
    }

    private void attach(SparkListenable net, TrainingMaster<?, ?> master, TrainingListener... others) {
        Checks.notNull(net, "attachTo: the Spark network must not be null");
        checkMaster(master);
        List<TrainingListener> all = new ArrayList<>();
        all.add(listener);
        for (TrainingListener l : others) {
            Checks.notNull(l, "attachTo: other listeners must not be null");
            all.add(l);
        }
        net.setListeners(router, all);
    }

    static void checkMaster(TrainingMaster<?, ?> master) {
        if (!(master instanceof ParameterAveragingTrainingMaster)) {
            throw new IllegalArgumentException("SparkGradientMonitor supports ParameterAveragingTrainingMaster (got: "
                    + (master == null ? "null" : master.getClass().getName()) + "): SharedTrainingMaster serializes "
                    + "the driver's router into its tasks (Task not serializable for a driver-side storage) and "
                    + "returns no listener records, so nothing would reach the driver. Use new "
                    + "ParameterAveragingTrainingMaster.Builder(...), or see the package documentation for the "
                    + "RemoteUIStatsStorageRouter route");
        }
    }

    /** The listener for {@code setListeners(monitor.router(), monitor.listener(), ...)} when not using attachTo. */
    public TrainingListener listener() {
        return listener;
    }

    /** The driver-side router the workers' records are replayed into; forwards to the configured storage. */
    public StatsStorageRouter router() {
        return router;
    }

    /** The storage every record is forwarded to, if one was configured. */
    public Optional<StatsStorageRouter> statsStorage() {
        return router.downstream();
    }

    /** The session ID of every worker's records (the /gradmon page's session). */
    public String sessionId() {
        return sessionId;
    }

    /** The most recent alerts of every worker as received on the driver, oldest first (at most alertHistorySize). */
    public List<GradientAlert> alerts() {
        return ledger.alerts();
    }

    /** The retained alerts of one worker series. */
    public List<GradientAlert> alerts(String worker) {
        return ledger.alerts().stream().filter(a -> a.workerId().equals(worker)).toList();
    }

    /** Alerts received since this monitor was built, including those no longer retained. */
    public long alertCount() {
        return ledger.alertCount();
    }

    /**
     * Failures contained on the driver so far: records that could not be read and driver-side handlers that threw
     * (each logged, the first with its stack trace). 0 in a healthy run.
     */
    public long faultCount() {
        return faults.count();
    }

    /** Snapshots and alerts per worker and alert type, so far. */
    public RunSummary summary() {
        return ledger.summary();
    }

    @Override
    public String toString() {
        return "SparkGradientMonitor{session=" + sessionId + '}';
    }

    /**
     * Configures a {@link SparkGradientMonitor}. Each setter checks its value and names it in the error.
     *
     * <pre>{@code
     * SparkGradientMonitor.builder()
     *         .worker(b -> b.frequency(5).clipping(GradientClipping.globalNorm(1.0)))
     *         .statsStorage(storage)
     *         .onAlert(a -> alerts.add(a))
     *         .build();
     * }</pre>
     */
    public static final class Builder {
        private WorkerConfig worker = WorkerConfig.defaults();
        private StatsStorageRouter statsStorage;
        private String sessionId;
        private int alertHistorySize = 10_000;
        private boolean logAlerts = true;
        private final List<AlertHandler> handlers = new ArrayList<>();

        private Builder() {
        }

        /**
         * The GradientMonitor configuration applied on every worker, e.g. {@code b -> b.skipNonFiniteSteps(true)}.
         * Serializable; runs on the executors. Default: the library's defaults. Worker-side alert logging is off
         * unless this turns it on ({@code b.logAlerts(true)}): the driver logs every worker's alerts.
         */
        public Builder worker(WorkerConfig config) {
            this.worker = Checks.notNull(config, "worker config must not be null (leave it unset for the defaults)");
            return this;
        }

        /**
         * Where the driver stores every worker's records ({@code InMemoryStatsStorage}, {@code FileStatsStorage},
         * {@code RemoteUIStatsStorageRouter}, ...): attach it to a UI server for the /gradmon page. Optional: without
         * it alerts and the summary are still available and nothing accumulates.
         */
        public Builder statsStorage(StatsStorageRouter storage) {
            this.statsStorage = Checks.notNull(storage, "statsStorage must not be null (leave it unset for none)");
            return this;
        }

        /**
         * The session ID of the records (default a random UUID), e.g. a StatsListener's, to share its session.
         * Checked by {@link StorageIds#check}: 1 to 256 characters, no single quote or control character (DL4J's
         * SQLite storage builds its queries from it).
         */
        public Builder sessionId(String id) {
            this.sessionId = StorageIds.check("sessionId", id);
            return this;
        }

        /** Alerts kept on the driver for {@link SparkGradientMonitor#alerts()}. Default 10,000. */
        public Builder alertHistorySize(int n) {
            this.alertHistorySize = Checks.atLeast("alertHistorySize", n, 1);
            return this;
        }

        /** Whether the driver logs every worker's alerts (SLF4J WARN, rate-limited per type and layer). Default true. */
        public Builder logAlerts(boolean log) {
            this.logAlerts = log;
            return this;
        }

        /**
         * A handler called on the driver for every worker's alert as Spark replays it (after each averaging split);
         * {@code alert.workerId()} is the worker's series. A {@code StopTrainingHandler} ends {@code fit} there.
         */
        public Builder onAlert(AlertHandler handler) {
            Checks.notNull(handler, "onAlert handler must not be null");
            this.handlers.add(handler);
            return this;
        }

        public SparkGradientMonitor build() {
            return new SparkGradientMonitor(this);
        }
    }
}
