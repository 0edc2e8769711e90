package io.github.dl4jgradmon.spark;

import io.github.dl4jgradmon.GradientMonitor;
import io.github.dl4jgradmon.ui.GradientStatsSink;
import org.apache.spark.TaskContext;
import org.apache.spark.util.TaskCompletionListener;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.core.storage.listener.RoutingIterationListener;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serial;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The listener that travels to the executors. dl4j-spark serializes it into every task; each task deserializes a
 * fresh copy, builds a fresh model and, because this is a {@link RoutingIterationListener}, hands it the task's
 * {@link StatsStorageRouter} (under the parameter-averaging master a collecting router whose records come back with
 * the task's result and are replayed into the driver's router).
 *
 * <p>At the first callback it takes the worker's {@link GradientMonitor} from the executor's {@link ExecutorMonitors},
 * keyed by (session, series): the monitor an earlier task of the same series left there, continued on this task's
 * model ({@link GradientMonitor#continueOn}), or a new one built from the {@link WorkerConfig}. It points the
 * monitor's {@link WorkerOutlet} at this task's router and delegates every callback to it; the lease ends with the
 * task. Snapshots and alerts are renamed to the worker's series ({@link SeriesNames}) and posted through the UI
 * module's {@link GradientStatsSink} under the driver's session ID. Outside of a Spark task, or for a model the
 * monitor cannot continue on, the copy builds a monitor of its own. Internal: users get it from
 * {@link SparkGradientMonitor#listener()}.
 */
final class SparkWorkerListener implements RoutingIterationListener {

    @Serial
    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(SparkWorkerListener.class);

    private final String sessionId;
    private final WorkerConfig config;

    private transient StatsStorageRouter router;
    private transient String workerId;
    private transient GradientMonitor monitor;
    private transient String series;
    private transient boolean disabled;

    SparkWorkerListener(String sessionId, WorkerConfig config) {
        this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
        this.config = Objects.requireNonNull(config, "config");
    }

    /** A worker's monitor and the outlet its records leave through, kept per series in the executor JVM. */
    record Kept(GradientMonitor monitor, WorkerOutlet outlet) {
    }

    /** The task's monitor, set up at the first callback; null when that failed (logged once). */
    private GradientMonitor monitor(Model model) {
        GradientMonitor m = monitor;
        if (m == null && !disabled) {
            synchronized (this) {
                if (monitor == null && !disabled) {
                    try {
                        monitor = start(model);
                    } catch (RuntimeException | LinkageError e) {
                        disabled = true;
                        log.error("GradientMonitor disabled on this Spark worker, training goes on without it: {}",
                                e.toString());
                    }
                }
                m = monitor;
            }
        }
        return m;
    }

    private GradientMonitor start(Model model) {
        String name = SeriesNames.current(workerId == null ? "local" : workerId);
        series = name;
        GradientStatsSink sink = router == null ? null : GradientStatsSink.to(router, sessionId);
        if (sink == null) {
            log.warn("GradientMonitor on Spark worker {} has no StatsStorageRouter: its records will not reach the "
                    + "driver. Attach with SparkGradientMonitor.attachTo(sparkNet) (or pass "
                    + "sparkGradientMonitor.router() to setListeners)", name);
        }
        TaskContext task = TaskContext.get();
        Kept kept;
        if (task == null || !(model instanceof MultiLayerNetwork || model instanceof ComputationGraph)) {
            kept = build(name); // nothing to continue across tasks
        } else {
            ExecutorMonitors.Lease<Kept> lease = ExecutorMonitors.<Kept>jvm().acquire(sessionId, name,
                    () -> build(name));
            task.addTaskCompletionListener((TaskCompletionListener) context -> lease.release());
            kept = lease.value();
            if (lease.continued()) {
                try {
                    kept.monitor().continueOn(model);
                } catch (RuntimeException e) {
                    lease.discard();
                    log.warn("GradientMonitor on Spark worker {} cannot continue the series' earlier monitor ({}); "
                            + "it starts afresh", name, e.toString());
                    kept = build(name);
                }
            }
        }
        kept.outlet().to(sink);
        return kept.monitor();
    }

    /**
     * A new monitor for {@code name}. On a worker nobody reads the monitor's own history (its records go to the
     * driver), so it keeps one snapshot and one alert unless the {@link WorkerConfig} says otherwise.
     */
    private Kept build(String name) {
        GradientMonitor.Builder b = config.configure(GradientMonitor.builder().logAlerts(false).historySize(1)
                .alertHistorySize(1));
        if (b == null) {
            throw new IllegalStateException("WorkerConfig returned null: return the builder it was given");
        }
        WorkerOutlet outlet = new WorkerOutlet(sessionId, name);
        return new Kept(b.onSnapshot(outlet).onAlert(outlet).build(), outlet);
    }

    @Override
    public void onGradientCalculation(Model model) {
        GradientMonitor m = monitor(model);
        if (m != null) {
            m.onGradientCalculation(model);
        }
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        GradientMonitor m = monitor(model);
        if (m != null) {
            m.onForwardPass(model, activations);
        }
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        GradientMonitor m = monitor(model);
        if (m != null) {
            m.onForwardPass(model, activations);
        }
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        GradientMonitor m = monitor(model);
        if (m != null) {
            m.iterationDone(model, iteration, epoch);
        }
    }

    @Override
    public void onBackwardPass(Model model) {
        GradientMonitor m = monitor(model);
        if (m != null) {
            m.onBackwardPass(model);
        }
    }

    @Override
    public void onEpochStart(Model model) {
        GradientMonitor m = monitor(model);
        if (m != null) {
            m.onEpochStart(model);
        }
    }

    @Override
    public void onEpochEnd(Model model) {
        GradientMonitor m = monitor(model);
        if (m != null) {
            m.onEpochEnd(model);
        }
    }

    @Override
    public void setStorageRouter(StatsStorageRouter router) {
        this.router = router;
    }

    @Override
    public StatsStorageRouter getStorageRouter() {
        return router;
    }

    @Override
    public void setWorkerID(String workerID) {
        this.workerId = workerID;
    }

    @Override
    public String getWorkerID() {
        return workerId;
    }

    @Override
    public void setSessionID(String sessionID) {
        // The session is the driver's (SparkGradientMonitor.sessionId()), fixed when the monitor is built.
    }

    @Override
    public String getSessionID() {
        return sessionId;
    }

    /** A fresh copy with the same configuration and router (ParallelWrapper clones routing listeners per thread). */
    @Override
    public SparkWorkerListener clone() {
        SparkWorkerListener copy = new SparkWorkerListener(sessionId, config);
        copy.router = router;
        copy.workerId = workerId;
        return copy;
    }

    @Override
    public String toString() {
        return "SparkWorkerListener{session=" + sessionId + (series == null ? "" : ", series=" + series) + '}';
    }
}
