package io.github.dl4jgradmon.ui;

import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StatsStorage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The time series of one (session, worker), read from a {@link StatsStorage} incrementally: each {@link #refresh}
 * asks only for records newer than the last one seen, so polling a long run stays cheap. {@link #toJson} downsamples
 * to at most {@code maxPoints} evenly spaced points (first and last always kept). Thread-safe. Internal.
 */
final class GradientSeries {

    /** The per-layer fields charted, in JSON key order. */
    static final List<String> LAYER_FIELDS = List.of(GradientUpdate.GRADIENT_NORM, GradientUpdate.UPDATE_RATIO,
            GradientUpdate.PARAM_NORM, GradientUpdate.NON_FINITE);
    /** Alerts sent to the page: the most recent ones. */
    static final int MAX_ALERTS = 1_000;

    private final String sessionId;
    private final String workerId;
    private final List<String> layerNames = new ArrayList<>();
    private final List<String> layerTypes = new ArrayList<>();
    private final Map<String, Integer> layerIndex = new HashMap<>();
    private final List<Long> iterations = new ArrayList<>();
    /** Per point: per layer field, the values by layer index (shorter arrays: layers added later). */
    private final List<double[][]> points = new ArrayList<>();
    private final Map<String, List<Double>> model = new LinkedHashMap<>();
    private final List<GradientAlertRecord> alerts = new ArrayList<>();
    private long alertTotal;
    private long lastTimestamp = -1;

    GradientSeries(String sessionId, String workerId) {
        this.sessionId = sessionId;
        this.workerId = workerId;
    }

    /** Reads the records newer than the last one seen. */
    synchronized GradientSeries refresh(StatsStorage storage) {
        if (layerNames.isEmpty()
                && storage.getStaticInfo(sessionId, GradientMonitorRecord.TYPE_ID, workerId) instanceof
                GradientStaticInfo info) {
            info.layers().forEach(l -> layer(l.name(), l.type()));
        }
        List<Persistable> fresh = new ArrayList<>(
                storage.getAllUpdatesAfter(sessionId, GradientMonitorRecord.TYPE_ID, workerId, lastTimestamp));
        fresh.sort(Comparator.comparingLong(Persistable::getTimeStamp));
        for (Persistable p : fresh) {
            if (p.getTimeStamp() <= lastTimestamp) {
                continue;
            }
            lastTimestamp = p.getTimeStamp();
            if (p instanceof GradientUpdate u) {
                add(u);
            } else if (p instanceof GradientAlertRecord a) {
                alertTotal++;
                alerts.add(a);
                if (alerts.size() > MAX_ALERTS) {
                    alerts.remove(0);
                }
            }
        }
        return this;
    }

    private int layer(String name, String type) {
        Integer i = layerIndex.get(name);
        if (i == null) {
            i = layerNames.size();
            layerNames.add(name);
            layerTypes.add(type);
            layerIndex.put(name, i);
        }
        return i;
    }

    private void add(GradientUpdate u) {
        List<String> names = u.layerNames();
        int[] at = new int[names.size()];
        for (int l = 0; l < names.size(); l++) {
            at[l] = layer(names.get(l), "");
        }
        double[][] row = new double[LAYER_FIELDS.size()][layerNames.size()];
        for (double[] r : row) {
            java.util.Arrays.fill(r, Double.NaN);
        }
        for (int f = 0; f < LAYER_FIELDS.size(); f++) {
            for (int l = 0; l < names.size(); l++) {
                row[f][at[l]] = u.layerValue(l, LAYER_FIELDS.get(f));
            }
        }
        int n = iterations.size();
        iterations.add(u.iteration());
        points.add(row);
        for (String field : u.modelFields()) {
            List<Double> series = model.computeIfAbsent(field, k -> {
                List<Double> s = new ArrayList<>(n + 1);
                for (int i = 0; i < n; i++) {
                    s.add(Double.NaN);
                }
                return s;
            });
            series.add(u.modelValue(field).orElse(Double.NaN));
        }
        for (List<Double> series : model.values()) {
            while (series.size() < n + 1) {
                series.add(Double.NaN);
            }
        }
    }

    synchronized int size() {
        return iterations.size();
    }

    /** The indices of at most {@code max} evenly spaced points out of {@code n}, first and last included. */
    static int[] sample(int n, int max) {
        if (n <= max) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] idx = new int[max];
        for (int i = 0; i < max; i++) {
            idx[i] = (int) Math.round((double) i * (n - 1) / (max - 1));
        }
        return idx;
    }

    synchronized String toJson(int maxPoints) {
        int[] idx = sample(iterations.size(), maxPoints);
        Json j = new Json().beginObject();
        j.field("session", sessionId).field("worker", workerId);
        j.field("totalPoints", iterations.size()).field("shownPoints", idx.length);
        j.field("lastTimestamp", lastTimestamp);
        j.name("layers").beginArray();
        for (int l = 0; l < layerNames.size(); l++) {
            j.beginObject().field("name", layerNames.get(l)).field("type", layerTypes.get(l)).endObject();
        }
        j.endArray();
        j.name("iterations").beginArray();
        for (int i : idx) {
            j.value(iterations.get(i));
        }
        j.endArray();
        for (int f = 0; f < LAYER_FIELDS.size(); f++) {
            j.name(LAYER_FIELDS.get(f)).beginArray();
            for (int l = 0; l < layerNames.size(); l++) {
                j.beginArray();
                for (int i : idx) {
                    double[] values = points.get(i)[f];
                    j.value(l < values.length ? values[l] : Double.NaN);
                }
                j.endArray();
            }
            j.endArray();
        }
        j.name("model").beginObject();
        for (Map.Entry<String, List<Double>> e : model.entrySet()) {
            j.name(e.getKey()).beginArray();
            for (int i : idx) {
                j.value(e.getValue().get(i));
            }
            j.endArray();
        }
        j.endObject();
        j.field("alertTotal", alertTotal);
        j.name("alerts").beginArray();
        for (GradientAlertRecord a : alerts) {
            j.beginObject().field("type", a.alertType()).field("severity", a.severity()).field("layer", a.layer())
                    .field("param", a.param()).field("iteration", a.iteration()).field("value", a.value())
                    .field("threshold", a.threshold()).field("message", a.message()).field("hint", a.hint())
                    .endObject();
        }
        j.endArray();
        return j.endObject().toString();
    }

    /** The sessions of {@code storage} with GradientMonitor records, and their workers, as a JSON array. */
    static void writeSessions(Json j, List<StatsStorage> storages) {
        j.beginArray();
        for (StatsStorage s : storages) {
            for (String session : s.listSessionIDs()) {
                List<String> workers = s.listWorkerIDsForSessionAndType(session, GradientMonitorRecord.TYPE_ID);
                if (workers == null || workers.isEmpty()) {
                    continue;
                }
                Persistable first = s.getStaticInfo(session, GradientMonitorRecord.TYPE_ID, workers.get(0));
                j.beginObject().field("id", session).field("started", first == null ? 0 : first.getTimeStamp());
                j.name("workers").beginArray();
                workers.stream().sorted().forEach(j::value);
                j.endArray().endObject();
            }
        }
        j.endArray();
    }
}
