package io.github.dl4jgradmon.ui;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.dl4jgradmon.stats.UnwatchedLayers;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StatsStorage;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The time series of one (session, worker), read from a {@link StatsStorage} incrementally: each {@link #refresh}
 * asks only for records newer than the last one seen. Thread-safe. Internal.
 *
 * <p>Memory is bounded whatever the run's length: at most {@link #CAPACITY} points are kept (+1 for the latest), in
 * columns per layer and field. Point number {@code k} (counting from 0) is kept while {@code k} is a multiple of the
 * current stride; when the store fills up, every other kept point is dropped and the stride doubles, so the kept
 * points stay evenly spread over the whole run, the first one included, and the latest point is always shown. At most
 * {@link #MAX_LAYERS} layers and {@link #MAX_MODEL_FIELDS} model fields are kept (the first seen; the JSON says how
 * many layers were left out), and the alert list keeps the latest {@link #MAX_ALERTS} alerts with their texts cut to
 * {@link #MAX_ALERT_TEXT} characters (type and severity to {@link #MAX_ALERT_NAME}) as they arrive, and at most
 * {@link #MAX_ALERT_CHARS} characters of alert text in all (the oldest go first). Each kept point also holds the
 * layer a pretraining step trained (cut like an alert text, one string shared by consecutive equal points), and the
 * series holds the moved arrays of the latest snapshot only (at most {@link #MAX_MOVED}) and the latest snapshot's
 * summary of the layers a layer filter left out (its filter text cut like an alert text). Worst case about
 * {@code MAX_LAYERS x (CAPACITY + 1) x 4 x 8} bytes = 16 MB of columns plus at most 2 MB of alert text per series;
 * 20 layers take about 0.7 MB.
 */
final class GradientSeries {

    /** The per-layer fields charted, in JSON key order. */
    static final List<String> LAYER_FIELDS = List.of(GradientUpdate.GRADIENT_NORM, GradientUpdate.UPDATE_RATIO,
            GradientUpdate.PARAM_NORM, GradientUpdate.NON_FINITE);
    /** Points kept: twice what the page shows, so that evenly sampling them stays even. */
    static final int CAPACITY = 2 * GradientMonitorModule.MAX_POINTS;
    /** Layers kept per series; later new names are counted, not stored. */
    static final int MAX_LAYERS = 512;
    static final int MAX_MODEL_FIELDS = 64;
    /** Alerts sent to the page: the most recent ones. */
    static final int MAX_ALERTS = 1_000;
    /** Longest message, hint, layer or parameter name kept per alert, in characters. */
    static final int MAX_ALERT_TEXT = 1_000;
    /** Longest alert type or severity name kept. */
    static final int MAX_ALERT_NAME = 64;
    /** Characters of alert text kept per series, all alerts together (at most 2 bytes each). */
    static final long MAX_ALERT_CHARS = 1_000_000;
    /** Moved parameter arrays shown (those of the latest snapshot, the first ones). */
    static final int MAX_MOVED = 4 * MAX_LAYERS;

    private static final int FIELDS = LAYER_FIELDS.size();

    private final String sessionId;
    private final String workerId;
    private final List<String> layerNames = new ArrayList<>();
    private final List<String> layerTypes = new ArrayList<>();
    private final List<String> layerHandling = new ArrayList<>();
    private final Map<String, Integer> layerIndex = new HashMap<>();
    private long layersOmitted;
    /** Slot j < kept holds point number j * stride; slot kept holds the latest point when it is not a kept one. */
    private final long[] iterations = new long[CAPACITY + 1];
    /** Per layer: FIELDS columns of CAPACITY + 1 slots. */
    private final List<double[][]> layerColumns = new ArrayList<>();
    private final Map<String, double[]> model = new LinkedHashMap<>();
    /** Per slot: the layer a pretraining step trained, null for a step of the whole network. */
    private final String[] pretrained = new String[CAPACITY + 1];
    /** The moved parameter arrays of the latest snapshot. */
    private List<GradientUpdate.MovedParam> moved = List.of();
    /** The layers a layer filter left out of the latest snapshot (filter text cut); null when it watched them all. */
    private UnwatchedLayers unwatched;
    private int kept;
    private boolean latestExtra;
    private long stride = 1;
    private long total;
    private final ArrayDeque<ShownAlert> alerts = new ArrayDeque<>();
    private long alertChars;
    private long alertTotal;
    private long lastTimestamp = -1;
    private long skippedRecords;
    private long skippedUpTo = -1;
    private boolean staticInfoSkipped;

    GradientSeries(String sessionId, String workerId) {
        this.sessionId = sessionId;
        this.workerId = workerId;
    }

    /**
     * Reads the records newer than the last one seen. A record that cannot be decoded (a damaged file) is skipped and
     * counted ({@link #skippedRecords()}); a storage that fails as a whole throws.
     */
    synchronized GradientSeries refresh(StatsStorage storage) {
        if (layerNames.isEmpty()) {
            try {
                if (storage.getStaticInfo(sessionId, GradientMonitorRecord.TYPE_ID, workerId) instanceof
                        GradientStaticInfo info) {
                    info.layers().forEach(l -> layer(l.name(), l.type(), l.dl4jHandling()));
                }
            } catch (RuntimeException e) {
                if (!staticInfoSkipped) {
                    staticInfoSkipped = true;
                    skippedRecords++;
                }
            }
        }
        List<Persistable> fresh;
        try {
            fresh = new ArrayList<>(
                    storage.getAllUpdatesAfter(sessionId, GradientMonitorRecord.TYPE_ID, workerId, lastTimestamp));
        } catch (RuntimeException e) {
            fresh = oneByOne(storage);
        }
        fresh.sort(Comparator.comparingLong(Persistable::getTimeStamp));
        for (Persistable p : fresh) {
            if (p.getTimeStamp() <= lastTimestamp) {
                continue;
            }
            lastTimestamp = p.getTimeStamp();
            if (p instanceof GradientUpdate u) {
                add(u);
            } else if (p instanceof GradientAlertRecord a) {
                alert(a);
            }
        }
        lastTimestamp = Math.max(lastTimestamp, skippedUpTo);
        return this;
    }

    /** The new records read one at a time, skipping (and counting) those that cannot be decoded. */
    private List<Persistable> oneByOne(StatsStorage storage) {
        long[] times = storage.getAllUpdateTimes(sessionId, GradientMonitorRecord.TYPE_ID, workerId);
        long[] fresh = Arrays.stream(times == null ? new long[0] : times).filter(t -> t > lastTimestamp).sorted()
                .toArray();
        List<Persistable> read = new ArrayList<>();
        for (long t : fresh) {
            try {
                Persistable p = storage.getUpdate(sessionId, GradientMonitorRecord.TYPE_ID, workerId, t);
                if (p != null) {
                    read.add(p);
                    continue;
                }
            } catch (RuntimeException e) {
                // counted below
            }
            skippedRecords++;
            skippedUpTo = Math.max(skippedUpTo, t); // never read again
        }
        return read;
    }

    void alert(GradientAlertRecord a) {
        alertTotal++;
        ShownAlert shown = ShownAlert.of(a);
        alerts.addLast(shown);
        alertChars += shown.chars();
        while (alerts.size() > MAX_ALERTS || alertChars > MAX_ALERT_CHARS) {
            alertChars -= alerts.removeFirst().chars();
        }
    }

    /** The alerts held for the page, oldest first. */
    synchronized List<ShownAlert> retainedAlerts() {
        return List.copyOf(alerts);
    }

    /** The layer's index, or -1 when it is new and {@link #MAX_LAYERS} are already kept. */
    private int layer(String name, String type, String dl4jHandling) {
        Integer i = layerIndex.get(name);
        if (i != null) {
            return i;
        }
        if (layerNames.size() >= MAX_LAYERS) {
            layersOmitted++;
            layerIndex.put(name, -1); // count each left-out name once; bounded by the names of one record per call
            if (layerIndex.size() > 4 * MAX_LAYERS) {
                layerIndex.values().removeIf(v -> v < 0);
            }
            return -1;
        }
        int index = layerNames.size();
        layerNames.add(name);
        layerTypes.add(type);
        layerHandling.add(dl4jHandling);
        layerIndex.put(name, index);
        double[][] columns = new double[FIELDS][CAPACITY + 1];
        for (double[] c : columns) {
            Arrays.fill(c, Double.NaN);
        }
        layerColumns.add(columns);
        return index;
    }

    void add(GradientUpdate u) {
        int slot;
        if (total % stride == 0) {
            if (kept == CAPACITY) {
                compact();
            }
            slot = kept++;
            latestExtra = false;
        } else {
            slot = kept;
            latestExtra = true;
        }
        total++;
        iterations[slot] = u.iteration();
        pretrained[slot] = u.pretrainedLayer().map(name -> pretrainedName(name, slot)).orElse(null);
        List<GradientUpdate.MovedParam> latestMoved = u.moved();
        if (latestMoved.size() > MAX_MOVED) {
            latestMoved = latestMoved.subList(0, MAX_MOVED);
        }
        moved = latestMoved.stream().map(m -> new GradientUpdate.MovedParam(StoredText.fit(m.layer(), MAX_ALERT_TEXT),
                StoredText.fit(m.param(), MAX_ALERT_TEXT), m.size(), m.paramNorm(), m.updateNorm(), m.updateRatio()))
                .toList();
        unwatched = u.unwatched().map(w -> new UnwatchedLayers(StoredText.fit(w.filter(), MAX_ALERT_TEXT),
                w.layerCount(), w.paramCount(), w.gradientNorm(), w.nanCount(), w.infCount())).orElse(null);
        for (double[][] columns : layerColumns) {
            for (double[] c : columns) {
                c[slot] = Double.NaN;
            }
        }
        List<String> names = u.layerNames();
        for (int l = 0; l < names.size(); l++) {
            int at = layer(names.get(l), "", "");
            if (at >= 0) {
                double[][] columns = layerColumns.get(at);
                for (int f = 0; f < FIELDS; f++) {
                    columns[f][slot] = u.layerValue(l, LAYER_FIELDS.get(f));
                }
            }
        }
        for (double[] c : model.values()) {
            c[slot] = Double.NaN;
        }
        for (String field : u.modelFields()) {
            double[] c = model.get(field);
            if (c == null && model.size() < MAX_MODEL_FIELDS) {
                c = new double[CAPACITY + 1];
                Arrays.fill(c, Double.NaN);
                model.put(field, c);
            }
            if (c != null) {
                c[slot] = u.modelValue(field).orElse(Double.NaN);
            }
        }
    }

    /** The name cut to size, the same instance as the previous slot's when equal (a pretraining run repeats it). */
    private String pretrainedName(String name, int slot) {
        String cut = StoredText.fit(name, MAX_ALERT_TEXT);
        String previous = slot > 0 ? pretrained[slot - 1] : null;
        return cut.equals(previous) ? previous : cut;
    }

    /**
     * Keeps the even slots (point numbers that are multiples of 2 x stride). Called only when the point being added
     * is the next kept one (number CAPACITY x stride, a multiple of the new stride): it becomes the latest point.
     */
    private void compact() {
        int half = CAPACITY / 2;
        for (int j = 1; j < half; j++) {
            move(2 * j, j);
        }
        kept = half;
        latestExtra = false;
        stride *= 2;
    }

    private void move(int from, int to) {
        iterations[to] = iterations[from];
        pretrained[to] = pretrained[from];
        for (double[][] columns : layerColumns) {
            for (double[] c : columns) {
                c[to] = c[from];
            }
        }
        for (double[] c : model.values()) {
            c[to] = c[from];
        }
    }

    /** Records that could not be decoded and were left out. */
    synchronized long skippedRecords() {
        return skippedRecords;
    }

    /** Snapshots read so far (kept or not). */
    synchronized long totalPoints() {
        return total;
    }

    /** Points held (kept plus the latest when it is not a kept one). */
    synchronized int retainedPoints() {
        return kept + (latestExtra ? 1 : 0);
    }

    /** Values held in the layer columns. */
    synchronized long retainedValues() {
        return (long) layerColumns.size() * FIELDS * (CAPACITY + 1);
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
        return Json.write(g -> write(g, maxPoints));
    }

    synchronized void write(JsonGenerator g, int maxPoints) throws IOException {
        int[] idx = sample(retainedPoints(), maxPoints);
        g.writeStartObject();
        g.writeStringField("session", sessionId);
        g.writeStringField("worker", workerId);
        g.writeNumberField("totalPoints", total);
        g.writeNumberField("shownPoints", idx.length);
        g.writeNumberField("lastTimestamp", lastTimestamp);
        g.writeNumberField("recordsSkipped", skippedRecords);
        g.writeArrayFieldStart("layers");
        for (int l = 0; l < layerNames.size(); l++) {
            g.writeStartObject();
            g.writeStringField("name", layerNames.get(l));
            g.writeStringField("type", layerTypes.get(l));
            g.writeStringField("dl4jHandling", layerHandling.get(l));
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeNumberField("layersOmitted", layersOmitted);
        g.writeArrayFieldStart("iterations");
        for (int i : idx) {
            g.writeNumber(iterations[i]);
        }
        g.writeEndArray();
        for (int f = 0; f < FIELDS; f++) {
            g.writeArrayFieldStart(LAYER_FIELDS.get(f));
            for (double[][] columns : layerColumns) {
                g.writeStartArray();
                for (int i : idx) {
                    Json.number(g, columns[f][i]);
                }
                g.writeEndArray();
            }
            g.writeEndArray();
        }
        g.writeObjectFieldStart("model");
        for (Map.Entry<String, double[]> e : model.entrySet()) {
            g.writeArrayFieldStart(e.getKey());
            for (int i : idx) {
                Json.number(g, e.getValue()[i]);
            }
            g.writeEndArray();
        }
        g.writeEndObject();
        g.writeArrayFieldStart("pretrained");
        for (int i : idx) {
            if (pretrained[i] == null) {
                g.writeNull();
            } else {
                g.writeString(pretrained[i]);
            }
        }
        g.writeEndArray();
        g.writeArrayFieldStart("moved");
        for (GradientUpdate.MovedParam m : moved) {
            g.writeStartObject();
            g.writeStringField("layer", m.layer());
            g.writeStringField("param", m.param());
            g.writeNumberField("size", m.size());
            g.writeFieldName("paramNorm");
            Json.number(g, m.paramNorm());
            g.writeFieldName("updateNorm");
            Json.number(g, m.updateNorm());
            g.writeFieldName("updateRatio");
            Json.number(g, m.updateRatio());
            g.writeEndObject();
        }
        g.writeEndArray();
        if (unwatched == null) {
            g.writeNullField("unwatched");
        } else {
            g.writeObjectFieldStart("unwatched");
            g.writeStringField("filter", unwatched.filter());
            g.writeNumberField("layerCount", unwatched.layerCount());
            g.writeNumberField("paramCount", unwatched.paramCount());
            g.writeFieldName("gradientNorm");
            Json.number(g, unwatched.gradientNorm());
            g.writeNumberField("nanCount", unwatched.nanCount());
            g.writeNumberField("infCount", unwatched.infCount());
            g.writeEndObject();
        }
        g.writeNumberField("alertTotal", alertTotal);
        g.writeArrayFieldStart("alerts");
        for (ShownAlert a : alerts) {
            g.writeStartObject();
            g.writeStringField("type", a.type());
            g.writeStringField("severity", a.severity());
            g.writeStringField("layer", a.layer());
            g.writeStringField("param", a.param());
            g.writeNumberField("iteration", a.iteration());
            g.writeFieldName("value");
            Json.number(g, a.value());
            g.writeFieldName("threshold");
            Json.number(g, a.threshold());
            g.writeStringField("message", a.message());
            g.writeStringField("hint", a.hint());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** An alert as the page shows it: its texts already cut, so that what a series holds is what it shows. */
    record ShownAlert(String type, String severity, String layer, String param, long iteration, double value,
                      double threshold, String message, String hint) {

        static ShownAlert of(GradientAlertRecord a) {
            return new ShownAlert(StoredText.fit(a.alertType(), MAX_ALERT_NAME), StoredText.fit(a.severity(), MAX_ALERT_NAME),
                    StoredText.fit(a.layer(), MAX_ALERT_TEXT), StoredText.fit(a.param(), MAX_ALERT_TEXT), a.iteration(), a.value(),
                    a.threshold(), StoredText.fit(a.message(), MAX_ALERT_TEXT), StoredText.fit(a.hint(), MAX_ALERT_TEXT));
        }

        /** Characters of text held. */
        long chars() {
            return (long) type.length() + severity.length() + layer.length() + param.length() + message.length()
                    + hint.length();
        }
    }
}
