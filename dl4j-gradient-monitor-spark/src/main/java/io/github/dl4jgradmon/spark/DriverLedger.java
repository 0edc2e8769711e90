package io.github.dl4jgradmon.spark;

import io.github.dl4jgradmon.alert.AlertHandler;
import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.GradientAlertException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The driver's record of a Spark run: the most recent alerts (bounded), counts per alert type and worker, snapshots
 * per worker. Memory is bounded by {@code alertHistorySize} plus one small entry per worker series and alert type,
 * whatever the number of epochs. Thread-safe (all methods synchronized; Spark replays records on the driver thread
 * that runs {@code fit}).
 */
final class DriverLedger {

    private static final Logger log = LoggerFactory.getLogger(DriverLedger.class);

    private final int alertHistorySize;
    private final List<AlertHandler> handlers;
    private final ArrayDeque<GradientAlert> recent = new ArrayDeque<>();
    private final Map<String, Long> snapshots = new LinkedHashMap<>();
    private final Map<AlertType, Tally> tallies = new EnumMap<>(AlertType.class);
    private long alertCount;
    private final AtomicBoolean handlerFaultLogged = new AtomicBoolean();

    DriverLedger(int alertHistorySize, List<AlertHandler> handlers) {
        this.alertHistorySize = alertHistorySize;
        this.handlers = List.copyOf(handlers);
    }

    synchronized void snapshot(String worker) {
        snapshots.merge(worker, 1L, Long::sum);
    }

    /**
     * Records an alert and hands it to the driver-side handlers. A handler's failure is logged once and contained; a
     * {@link GradientAlertException} (e.g. from {@code StopTrainingHandler}) is rethrown and ends {@code fit}.
     */
    void alert(GradientAlert alert) {
        synchronized (this) {
            alertCount++;
            if (recent.size() == alertHistorySize) {
                recent.removeFirst();
            }
            recent.addLast(alert);
            tallies.computeIfAbsent(alert.type(), t -> new Tally(alert)).add(alert.workerId());
        }
        GradientAlertException stop = null;
        for (AlertHandler h : handlers) {
            try {
                h.onAlert(alert);
            } catch (GradientAlertException e) {
                stop = stop == null ? e : stop; // a requested stop: rethrown after every handler saw the alert
            } catch (RuntimeException e) {
                if (handlerFaultLogged.compareAndSet(false, true)) {
                    log.error("driver-side alert handler {} failed ({}); training goes on, further failures of "
                            + "driver-side handlers are not logged", h.getClass().getName(), e.toString());
                }
            }
        }
        if (stop != null) {
            throw stop;
        }
    }

    synchronized List<GradientAlert> alerts() {
        return List.copyOf(recent);
    }

    synchronized long alertCount() {
        return alertCount;
    }

    synchronized RunSummary summary() {
        List<RunSummary.AlertTypeSummary> list = new ArrayList<>();
        for (Tally t : tallies.values()) {
            list.add(new RunSummary.AlertTypeSummary(t.first.type(), t.count, t.workers, t.first.iteration(),
                    t.first.workerId(), t.first.layer()));
        }
        return new RunSummary(new TreeMap<>(snapshots), RunSummary.sorted(list));
    }

    /** Per alert type: how many, on which workers, the first. */
    private static final class Tally {
        private final GradientAlert first;
        private final TreeSet<String> workers = new TreeSet<>();
        private long count;

        Tally(GradientAlert first) {
            this.first = first;
        }

        void add(String worker) {
            count++;
            workers.add(worker);
        }
    }
}
