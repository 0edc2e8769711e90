package io.github.dl4jgradmon.spark;

import io.github.dl4jgradmon.alert.AlertHandler;
import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Slf4jAlertHandler;
import io.github.dl4jgradmon.internal.alert.AlertDelivery;
import io.github.dl4jgradmon.internal.alert.Faults;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The driver's record of a Spark run: the most recent alerts (bounded), counts per alert type and worker, snapshots
 * per worker. Memory is bounded by {@code alertHistorySize} plus one small entry per worker series and alert type,
 * whatever the number of epochs, and the worker series are bounded too: the first {@value #MAX_WORKER_SERIES} series
 * are counted by name, later ones (a run over more partitions or executors than that) together under
 * {@value #OTHER_SERIES}, with one warning. Thread-safe (all methods synchronized; Spark replays records on the driver
 * thread that runs {@code fit}).
 */
final class DriverLedger {

    /** Worker series counted by name; later ones are counted together under {@link #OTHER_SERIES}. */
    static final int MAX_WORKER_SERIES = 4_096;
    /** The name the series beyond {@link #MAX_WORKER_SERIES} are counted under. */
    static final String OTHER_SERIES = "(other series)";

    private static final Logger log = LoggerFactory.getLogger(DriverLedger.class);

    private final int alertHistorySize;
    private final AlertDelivery delivery;
    private final ArrayDeque<GradientAlert> recent = new ArrayDeque<>();
    private final Map<String, Long> snapshots = new LinkedHashMap<>();
    private final Set<String> named = new TreeSet<>();
    private final Map<AlertType, Tally> tallies = new EnumMap<>(AlertType.class);
    private long alertCount;
    private boolean overflowLogged;

    /**
     * @param faults where a failing driver-side handler is contained (logged once, counted), as in the core
     */
    DriverLedger(int alertHistorySize, List<AlertHandler> handlers, Faults faults) {
        this.alertHistorySize = alertHistorySize;
        // a stop a driver-side handler requests is logged at ERROR, never rate-limited, as in the core
        this.delivery = new AlertDelivery(a -> { }, null, new Slf4jAlertHandler()::onStop,
                handlers, faults);
    }

    synchronized void snapshot(String worker) {
        snapshots.merge(series(worker), 1L, Long::sum);
    }

    /**
     * Records an alert and hands it to the driver-side handlers. A handler's failure, {@code Error}s included, is
     * contained as in the core ({@link Faults}); a {@code GradientAlertException} (e.g. from
     * {@code StopTrainingHandler}) is rethrown after every handler saw the alert and ends {@code fit}.
     */
    void alert(GradientAlert alert) {
        synchronized (this) {
            alertCount++;
            if (recent.size() == alertHistorySize) {
                recent.removeFirst();
            }
            recent.addLast(alert);
            String series = series(alert.workerId());
            tallies.computeIfAbsent(alert.type(), t -> new Tally(alert)).add(series);
        }
        delivery.deliver(alert);
    }

    /** The name a worker series is counted under: its own for the first {@value #MAX_WORKER_SERIES}. */
    private String series(String worker) {
        if (named.contains(worker)) {
            return worker;
        }
        if (named.size() < MAX_WORKER_SERIES) {
            named.add(worker);
            return worker;
        }
        if (!overflowLogged) {
            overflowLogged = true;
            log.warn("GradientMonitor's driver saw more than {} worker series; series beyond the first {} are counted "
                    + "together as '{}' in the run summary (alerts keep their worker id)", MAX_WORKER_SERIES,
                    MAX_WORKER_SERIES, OTHER_SERIES);
        }
        return OTHER_SERIES;
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
