package io.github.dl4jgradmon.spark;

import io.github.dl4jgradmon.alert.AlertType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the workers of a Spark run reported to the driver, so far: snapshots per worker series and, per alert type,
 * how many alerts, on which workers, and the first one. Counts are since the {@link SparkGradientMonitor} was built
 * and include alerts no longer kept in its bounded history.
 *
 * <pre>{@code
 * sparkNet.fit(rdd);
 * RunSummary summary = monitor.summary();
 * log.info("{}", summary.toText());                          // a small table
 * summary.alert(AlertType.NON_FINITE).ifPresent(a -> log.warn("NaN on workers {}", a.workers()));
 * }</pre>
 *
 * @param snapshotsPerWorker snapshots received from each worker series, by series name
 * @param alerts             one entry per alert type seen, in {@link AlertType} order
 */
public record RunSummary(SortedMap<String, Long> snapshotsPerWorker, List<AlertTypeSummary> alerts) {

    public RunSummary {
        snapshotsPerWorker = new TreeMap<>(Objects.requireNonNull(snapshotsPerWorker, "snapshotsPerWorker"));
        alerts = List.copyOf(alerts);
    }

    /** Worker series that reported at least one snapshot or alert, sorted by name. */
    public SortedSet<String> workers() {
        SortedSet<String> all = new TreeSet<>(snapshotsPerWorker.keySet());
        for (AlertTypeSummary a : alerts) {
            all.addAll(a.workers());
        }
        return all;
    }

    /** Snapshots received over all workers. */
    public long snapshots() {
        long n = 0;
        for (long v : snapshotsPerWorker.values()) {
            n += v;
        }
        return n;
    }

    /** The entry for one alert type, empty if no worker raised it. */
    public Optional<AlertTypeSummary> alert(AlertType type) {
        for (AlertTypeSummary a : alerts) {
            if (a.type() == type) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** A small text table: workers and snapshots, then one line per alert type. */
    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%d worker series, %d snapshots%n", workers().size(), snapshots()));
        for (Map.Entry<String, Long> e : snapshotsPerWorker.entrySet()) {
            b.append(String.format(Locale.ROOT, "  worker %-16s %8d snapshots%n", e.getKey(), e.getValue()));
        }
        if (alerts.isEmpty()) {
            b.append("alerts: none").append(System.lineSeparator());
        }
        for (AlertTypeSummary a : alerts) {
            b.append(String.format(Locale.ROOT, "  %-13s %6d alert(s) on %d of %d workers %s, first at iteration %d on %s (%s)%n",
                    a.type(), a.count(), a.workers().size(), workers().size(), a.workers(), a.firstIteration(),
                    a.firstWorker(), a.firstLayer().isEmpty() ? "(model)" : "layer " + a.firstLayer()));
        }
        return b.toString();
    }

    /**
     * One alert type over the run.
     *
     * @param type           the alert type
     * @param count          alerts of this type received
     * @param workers        the worker series that raised it, sorted
     * @param firstIteration the iteration of the first one received
     * @param firstWorker    the worker of the first one received
     * @param firstLayer     the layer of the first one received (empty for a model-wide alert)
     */
    public record AlertTypeSummary(AlertType type, long count, SortedSet<String> workers, long firstIteration,
                                   String firstWorker, String firstLayer) {

        public AlertTypeSummary {
            Objects.requireNonNull(type, "type");
            workers = new TreeSet<>(workers);
            Objects.requireNonNull(firstWorker, "firstWorker");
            Objects.requireNonNull(firstLayer, "firstLayer");
            if (count < 1) {
                throw new IllegalArgumentException("count must be >= 1 (got: " + count + ")");
            }
        }
    }

    static List<AlertTypeSummary> sorted(List<AlertTypeSummary> list) {
        List<AlertTypeSummary> copy = new ArrayList<>(list);
        copy.sort((x, y) -> x.type().compareTo(y.type()));
        return copy;
    }
}
