package io.github.dl4jgradmon.spark;

import io.github.dl4jgradmon.SnapshotHandler;
import io.github.dl4jgradmon.alert.AlertHandler;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.ui.GradientStatsSink;

import java.io.Serial;

/**
 * Where a worker's monitor sends its snapshots and alerts: renamed to the worker's series, stamped by the
 * {@link SeriesClock}, and posted through the sink of the task that runs now. A monitor kept across tasks
 * ({@link ExecutorMonitors}) outlives each task's router, so every task points the outlet at its own sink before
 * training; with no sink, records are dropped (the listener warns once per task). Lives only on the executor: the
 * sink is transient and the outlet is never shipped.
 */
final class WorkerOutlet implements SnapshotHandler, AlertHandler {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String series;
    private final String clockKey;
    private transient volatile GradientStatsSink sink;

    WorkerOutlet(String sessionId, String series) {
        this.series = series;
        this.clockKey = sessionId + '\u0000' + series;
    }

    /** The sink of the task that trains from now on; null when it has no router. */
    void to(GradientStatsSink taskSink) {
        this.sink = taskSink;
    }

    @Override
    public void onSnapshot(GradientSnapshot s) {
        GradientStatsSink target = sink;
        if (target != null) {
            target.onSnapshot(renamed(s, series, SeriesClock.snapshot(clockKey, s.timestampMillis())));
        }
    }

    @Override
    public void onAlert(GradientAlert a) {
        GradientStatsSink target = sink;
        if (target != null) {
            SeriesClock.alert(clockKey);
            target.onAlert(renamed(a, series));
        }
    }

    static GradientSnapshot renamed(GradientSnapshot s, String series, long timestamp) {
        return new GradientSnapshot(series, s.iteration(), s.epoch(), s.score(), s.batchSize(),
                s.globalGradientNorm(), timestamp, s.layers(), s.reaction(), s.graph(), s.pretrainedLayer(),
                s.unwatched());
    }

    static GradientAlert renamed(GradientAlert a, String series) {
        return new GradientAlert(a.type(), a.severity(), series, a.iteration(), a.layer(), a.param(), a.value(),
                a.threshold(), a.message(), a.hint());
    }
}
