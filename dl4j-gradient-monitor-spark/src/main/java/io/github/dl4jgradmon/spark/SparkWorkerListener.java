package io.github.dl4jgradmon.spark;

import io.github.dl4jgradmon.GradientMonitor;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.ui.GradientStatsSink;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.core.storage.listener.RoutingIterationListener;
import org.deeplearning4j.nn.api.Model;
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
 * <p>On the first callback it builds the worker's {@link GradientMonitor} from the {@link WorkerConfig} and delegates
 * every callback to it. Snapshots and alerts are renamed to the worker's series ({@link SeriesNames}) and posted
 * through the UI module's {@link GradientStatsSink} under the driver's session ID. Internal: users get it from
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

    /** The task's monitor, built at the first callback; null when building it failed (logged once). */
    private GradientMonitor monitor() {
        GradientMonitor m = monitor;
        if (m == null && !disabled) {
            synchronized (this) {
                if (monitor == null && !disabled) {
                    try {
                        monitor = build();
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

    private GradientMonitor build() {
        String name = SeriesNames.current(workerId == null ? "local" : workerId);
        series = name;
        GradientMonitor.Builder b = config.configure(GradientMonitor.builder().logAlerts(false));
        if (b == null) {
            throw new IllegalStateException("WorkerConfig returned null: return the builder it was given");
        }
        if (router == null) {
            log.warn("GradientMonitor on Spark worker {} has no StatsStorageRouter: its records will not reach the "
                    + "driver. Attach with SparkGradientMonitor.attachTo(sparkNet) (or pass "
                    + "sparkGradientMonitor.router() to setListeners)", name);
            return b.build();
        }
        GradientStatsSink sink = GradientStatsSink.to(router, sessionId);
        String key = sessionId + '\u0000' + name;
        return b.onSnapshot(s -> sink.onSnapshot(renamed(s, name, SeriesClock.snapshot(key, s.timestampMillis()))))
                .onAlert(a -> {
                    SeriesClock.alert(key);
                    sink.onAlert(renamed(a, name));
                })
                .build();
    }

    static GradientSnapshot renamed(GradientSnapshot s, String series, long timestamp) {
        return new GradientSnapshot(series, s.iteration(), s.epoch(), s.score(), s.batchSize(),
                s.globalGradientNorm(), timestamp, s.layers(), s.reaction());
    }

    static GradientAlert renamed(GradientAlert a, String series) {
        return new GradientAlert(a.type(), a.severity(), series, a.iteration(), a.layer(), a.param(), a.value(),
                a.threshold(), a.message(), a.hint());
    }

    @Override
    public void onGradientCalculation(Model model) {
        GradientMonitor m = monitor();
        if (m != null) {
            m.onGradientCalculation(model);
        }
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        GradientMonitor m = monitor();
        if (m != null) {
            m.onForwardPass(model, activations);
        }
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        GradientMonitor m = monitor();
        if (m != null) {
            m.onForwardPass(model, activations);
        }
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        GradientMonitor m = monitor();
        if (m != null) {
            m.iterationDone(model, iteration, epoch);
        }
    }

    @Override
    public void onBackwardPass(Model model) {
        GradientMonitor m = monitor();
        if (m != null) {
            m.onBackwardPass(model);
        }
    }

    @Override
    public void onEpochStart(Model model) {
        GradientMonitor m = monitor();
        if (m != null) {
            m.onEpochStart(model);
        }
    }

    @Override
    public void onEpochEnd(Model model) {
        GradientMonitor m = monitor();
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
