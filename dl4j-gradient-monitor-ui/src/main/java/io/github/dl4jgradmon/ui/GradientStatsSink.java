package io.github.dl4jgradmon.ui;

import io.github.dl4jgradmon.SnapshotHandler;
import io.github.dl4jgradmon.StatsStorageSinkFactory;
import io.github.dl4jgradmon.alert.AlertHandler;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.internal.util.Checks;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.ui.model.storage.impl.SbeStorageMetaData;

import java.io.Serial;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Posts the monitor's snapshots and alerts to any DL4J {@link StatsStorageRouter}: {@code InMemoryStatsStorage},
 * {@code FileStatsStorage}, {@code J7FileStatsStorage}, or {@code RemoteUIStatsStorageRouter} (a UI server in another
 * JVM). One object is both the {@link SnapshotHandler} and the {@link AlertHandler}; register it for both.
 *
 * <pre>{@code
 * StatsStorage storage = new FileStatsStorage(new File("stats.bin"));
 * GradientStatsSink sink = GradientStatsSink.to(storage);
 * GradientMonitor monitor = GradientMonitor.builder().onSnapshot(sink).onAlert(sink).build();
 * net.addListeners(monitor);
 * UIServer.getInstance().attach(storage);          // then open http://localhost:9000/gradmon
 * }</pre>
 *
 * <p>Per (session, worker) it posts the storage metadata and a {@link GradientStaticInfo} once, then one
 * {@link GradientUpdate} per snapshot and one {@link GradientAlertRecord} per alert, all under the type ID
 * {@value GradientMonitorRecord#TYPE_ID}. DL4J keys updates by timestamp and overwrites two in the same millisecond,
 * so the sink stamps each worker's records with strictly increasing times (bumped by 1 ms when needed). A snapshot
 * keeps the time its gradient was observed; an alert is stamped 1 ms after the worker's latest record (the snapshot
 * that raised it).
 *
 * <p>Worker IDs come from the monitor (numbers, or a Spark series name); one that is not a {@link StorageIds safe ID}
 * is stored with each single quote and control character replaced by {@code _}.
 *
 * <p>To show the records in the same session as DL4J's {@code StatsListener}, pass its session ID:
 * {@code GradientStatsSink.to(storage, statsListener.getSessionID())}. Thread-safe (ParallelWrapper workers may
 * call it at once). Serializable when the router is (the remote router is).
 */
public final class GradientStatsSink implements SnapshotHandler, AlertHandler, StatsStorageSinkFactory.Sink {

    @Serial
    private static final long serialVersionUID = 1L;

    private final StatsStorageRouter router;
    private final String sessionId;
    private final transient ConcurrentMap<String, WorkerClock> workers = new ConcurrentHashMap<>();

    private GradientStatsSink(StatsStorageRouter router, String sessionId) {
        this.router = router;
        this.sessionId = sessionId;
    }

    /** A sink to {@code router} with a fresh random session ID. */
    public static GradientStatsSink to(StatsStorageRouter router) {
        return to(router, UUID.randomUUID().toString());
    }

    /**
     * A sink to {@code router} under {@code sessionId} (e.g. the session of a DL4J {@code StatsListener}).
     *
     * @throws IllegalArgumentException when {@code sessionId} is not a {@link StorageIds safe ID} (blank, longer than
     *                                  256 characters, or holding a single quote or a control character)
     */
    public static GradientStatsSink to(StatsStorageRouter router, String sessionId) {
        Checks.notNull(router, "router must not be null");
        return new GradientStatsSink(router, StorageIds.check("sessionId", sessionId));
    }

    /** The session ID the records are posted under. */
    public String sessionId() {
        return sessionId;
    }

    public StatsStorageRouter router() {
        return router;
    }

    @Override
    public void onSnapshot(GradientSnapshot given) {
        GradientSnapshot snapshot = safe(given);
        WorkerClock clock = clock(snapshot.workerId());
        synchronized (clock) {
            long time = clock.next(snapshot.timestampMillis());
            if (!clock.started) {
                start(snapshot.workerId(), time, GradientStaticInfo.of(sessionId, snapshot, time));
                clock.started = true;
            }
            router.putUpdate(GradientUpdate.of(sessionId, snapshot, time));
        }
    }

    @Override
    public void onAlert(GradientAlert given) {
        GradientAlert alert = safe(given);
        WorkerClock clock = clock(alert.workerId());
        synchronized (clock) {
            // Right after the worker's latest record (the snapshot that raised it), so it sorts next to it.
            long time = clock.next(clock.started ? clock.last : System.currentTimeMillis());
            if (!clock.started) {
                start(alert.workerId(), time, new GradientStaticInfo(sessionId, alert.workerId(), time, List.of()));
                clock.started = true;
            }
            router.putUpdate(new GradientAlertRecord(sessionId, alert, time));
        }
    }

    private static GradientSnapshot safe(GradientSnapshot s) {
        String worker = StorageIds.sanitize(s.workerId());
        return worker.equals(s.workerId()) ? s : new GradientSnapshot(worker, s.iteration(), s.epoch(), s.score(),
                s.batchSize(), s.globalGradientNorm(), s.timestampMillis(), s.layers(), s.reaction(), s.graph(),
                s.pretrainedLayer(), s.unwatched());
    }

    private static GradientAlert safe(GradientAlert a) {
        String worker = StorageIds.sanitize(a.workerId());
        return worker.equals(a.workerId()) ? a : new GradientAlert(a.type(), a.severity(), worker, a.iteration(),
                a.layer(), a.param(), a.value(), a.threshold(), a.message(), a.hint(), a.layers());
    }

    private void start(String workerId, long time, GradientStaticInfo info) {
        router.putStorageMetaData(new SbeStorageMetaData(time, sessionId, GradientMonitorRecord.TYPE_ID, workerId,
                GradientStaticInfo.class, GradientUpdate.class));
        router.putStaticInfo(info);
    }

    private WorkerClock clock(String workerId) {
        return workers.computeIfAbsent(Objects.requireNonNull(workerId, "workerId"), id -> new WorkerClock());
    }

    @Serial
    private Object readResolve() {
        return new GradientStatsSink(router, sessionId);
    }

    @Override
    public String toString() {
        return "GradientStatsSink{session=" + sessionId + ", router=" + router.getClass().getSimpleName() + '}';
    }

    /** Strictly increasing timestamps for one worker. Guarded by its own monitor. */
    private static final class WorkerClock {
        private long last = Long.MIN_VALUE;
        private boolean started;

        long next(long proposed) {
            last = last == Long.MIN_VALUE ? proposed : Math.max(proposed, last + 1);
            return last;
        }
    }
}
