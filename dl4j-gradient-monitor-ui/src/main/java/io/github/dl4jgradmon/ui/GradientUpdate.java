package io.github.dl4jgradmon.ui;

import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;
import io.github.dl4jgradmon.stats.MovedParamStats;
import io.github.dl4jgradmon.stats.Reaction;
import io.github.dl4jgradmon.stats.ParamGradientStats;
import io.github.dl4jgradmon.stats.UnwatchedLayers;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectStreamField;
import java.io.Serial;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One reported snapshot as stored in a DL4J {@code StatsStorage}: iteration, epoch, batch size, model-wide values
 * (score, global gradient norm, ...) and a layers x fields table (gradient norm, parameter norm, update norm,
 * update:parameter ratio, non-finite count, ...).
 *
 * <p>Both value sets are keyed by field name, so fields can be added (clipping, skipped steps) without breaking
 * older readers: a reader asks for a field and gets NaN / empty when the record does not have it.
 *
 * <p>Two parts follow the table: the layer a layer-wise pretraining step trained ({@link #pretrainedLayer()}, empty
 * for a step of the whole network) and the parameter arrays DL4J moves without a gradient ({@link #moved()}:
 * {@code CenterLossOutputLayer}'s centers, {@code BatchNormalization}'s running mean and variance). A record written
 * before these parts existed reads back with neither. A third part, when a layer filter
 * ({@code GradientMonitor.builder().layers(...)} / {@code excludeLayers(...)}) left layers out of the table, is the
 * summary of those layers ({@link #unwatched()}); a record written before it existed reads back without one.
 *
 * <pre>{@code
 * GradientUpdate u = (GradientUpdate) storage.getLatestUpdate(session, GradientMonitorRecord.TYPE_ID, "0");
 * double firstLayer = u.layerValue(0, GradientUpdate.GRADIENT_NORM);
 * u.modelValue(GradientUpdate.CLIP_SCALE).ifPresent(scale -> System.out.println("clipped x" + scale));
 * }</pre>
 */
public final class GradientUpdate extends GradientMonitorRecord {

    @Serial
    private static final long serialVersionUID = 2L;
    /** Serialized as the checked frame by {@link GradientMonitorRecord}, never field by field. */
    @Serial
    private static final ObjectStreamField[] serialPersistentFields = {};

    /** Model field: the minibatch score. */
    public static final String SCORE = "score";
    /** Model field: L2 norm over all trainable gradients (batch-averaged units). */
    public static final String GLOBAL_GRADIENT_NORM = "globalGradientNorm";
    /** Model field, when clipping reports it: the factor the gradient was scaled by (1 = untouched). */
    public static final String CLIP_SCALE = "clipScale";
    /** Model field, when a guard reports it: 1 if the step was skipped, else 0. */
    public static final String STEP_SKIPPED = "stepSkipped";

    /** Layer field: L2 norm of the layer's gradient (batch-averaged units). */
    public static final String GRADIENT_NORM = "gradientNorm";
    /** Layer field: L2 norm of the layer's parameters before the update. */
    public static final String PARAM_NORM = "paramNorm";
    /** Layer field: L2 norm of the applied update; NaN when not observed. */
    public static final String UPDATE_NORM = "updateNorm";
    /** Layer field: updateNorm / paramNorm. */
    public static final String UPDATE_RATIO = "updateRatio";
    /** Layer field: largest finite |g| over the layer's parameters. */
    public static final String MAX_ABS = "maxAbs";
    /** Layer field: NaN + Inf entries in the layer's gradient. */
    public static final String NON_FINITE = "nonFinite";

    private long iteration;
    private int epoch;
    private int batchSize;
    private String[] modelFields = new String[0];
    private double[] modelValues = new double[0];
    private String[] layerNames = new String[0];
    private String[] layerFields = new String[0];
    private double[] layerValues = new double[0];
    private String pretrainedLayer = "";
    private List<MovedParam> moved = List.of();
    /** For each moved array, the index of its layer in {@link #layerNames}. */
    private int[] movedLayers = new int[0];
    /** The layers a layer filter left out of the table; null when every layer is watched. */
    private UnwatchedLayers unwatched;

    /**
     * A parameter array a layer moves itself, without a gradient or an updater (see {@link MovedParamStats}).
     *
     * <pre>{@code
     * for (GradientUpdate.MovedParam m : update.moved()) {
     *     System.out.println(m.layer() + "/" + m.param() + " moved by " + m.updateNorm());
     * }
     * }</pre>
     *
     * @param layer       the layer's name, one of the record's {@link #layerNames()}
     * @param param       the parameter key, e.g. {@code cL}
     * @param size        number of entries
     * @param paramNorm   L2 norm of the values before the step
     * @param updateNorm  L2 norm of the change DL4J applied; NaN when not observed
     * @param updateRatio {@code updateNorm / paramNorm}; NaN when unknown
     */
    public record MovedParam(String layer, String param, long size, double paramNorm, double updateNorm,
                             double updateRatio) {

        public MovedParam {
            Objects.requireNonNull(layer, "layer");
            Objects.requireNonNull(param, "param");
            if (size < 0) {
                throw new IllegalArgumentException("size must be >= 0 (got: " + size + ")");
            }
        }
    }

    /** For DL4J, which instantiates records by class name and then calls {@code decode}. */
    public GradientUpdate() {
    }

    /**
     * A record with explicit fields: {@code layerValues.get(layer)} maps field name to value, every layer with the
     * same field names (missing ones become NaN).
     */
    public GradientUpdate(String sessionId, String workerId, long timestamp, long iteration, int epoch, int batchSize,
                          Map<String, Double> modelValues, List<String> layerNames,
                          List<Map<String, Double>> layerValues) {
        super(sessionId, workerId, timestamp);
        if (iteration < 0) {
            throw new IllegalArgumentException("iteration must be >= 0 (got: " + iteration + ")");
        }
        if (layerNames.size() != layerValues.size()) {
            throw new IllegalArgumentException("layerNames and layerValues must have the same size (got: "
                    + layerNames.size() + " and " + layerValues.size() + ")");
        }
        this.iteration = iteration;
        this.epoch = epoch;
        this.batchSize = batchSize;
        this.modelFields = modelValues.keySet().toArray(new String[0]);
        this.modelValues = new double[modelFields.length];
        for (int i = 0; i < modelFields.length; i++) {
            this.modelValues[i] = modelValues.get(modelFields[i]);
        }
        this.layerNames = layerNames.toArray(new String[0]);
        LinkedHashMap<String, Boolean> fields = new LinkedHashMap<>();
        layerValues.forEach(m -> m.keySet().forEach(k -> fields.put(Objects.requireNonNull(k, "field"), true)));
        this.layerFields = fields.keySet().toArray(new String[0]);
        this.layerValues = new double[layerNames.size() * layerFields.length];
        for (int l = 0; l < layerNames.size(); l++) {
            for (int f = 0; f < layerFields.length; f++) {
                Double v = layerValues.get(l).get(layerFields[f]);
                this.layerValues[l * layerFields.length + f] = v == null ? Double.NaN : v;
            }
        }
    }

    /** The record for one snapshot, stamped {@code timestamp} (which the sink keeps strictly increasing). */
    public static GradientUpdate of(String sessionId, GradientSnapshot s, long timestamp) {
        Map<String, Double> model = new LinkedHashMap<>();
        model.put(SCORE, s.score());
        model.put(GLOBAL_GRADIENT_NORM, s.globalGradientNorm());
        Reaction r = s.reaction();
        if (!r.method().isEmpty() || r.stepSkipped()) {
            // norm after / norm before: 1 when nothing was clipped, 0 for a skipped step
            double scale = r.stepSkipped() ? 0 : r.clipped() && r.normBefore() > 0 ? r.normAfter() / r.normBefore() : 1;
            model.put(CLIP_SCALE, scale);
            model.put(STEP_SKIPPED, r.stepSkipped() ? 1.0 : 0.0);
        }
        List<String> names = s.layers().stream().map(LayerGradientStats::name).toList();
        List<Map<String, Double>> values = s.layers().stream().map(GradientUpdate::layerFields).toList();
        GradientUpdate u = new GradientUpdate(sessionId, s.workerId(), timestamp, s.iteration(), s.epoch(),
                s.batchSize(), model, names, values);
        u.pretrainedLayer = s.pretrainedLayer().orElse("");
        List<MovedParam> moved = new ArrayList<>();
        List<Integer> layers = new ArrayList<>();
        for (int l = 0; l < s.layers().size(); l++) {
            LayerGradientStats layer = s.layers().get(l);
            for (Map.Entry<String, MovedParamStats> e : layer.moved().entrySet()) {
                MovedParamStats m = e.getValue();
                moved.add(new MovedParam(layer.name(), e.getKey(), m.size(), m.paramNorm(), m.updateNorm(),
                        m.updateRatio()));
                layers.add(l);
            }
        }
        u.moved = List.copyOf(moved);
        u.movedLayers = layers.stream().mapToInt(Integer::intValue).toArray();
        u.unwatched = s.unwatched().map(w -> new UnwatchedLayers(StoredText.fit(w.filter()), w.layerCount(),
                w.paramCount(), w.gradientNorm(), w.nanCount(), w.infCount())).orElse(null);
        return u;
    }

    private static Map<String, Double> layerFields(LayerGradientStats l) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(GRADIENT_NORM, l.gradientNorm());
        m.put(PARAM_NORM, l.paramNorm());
        m.put(UPDATE_NORM, l.updateNorm());
        m.put(UPDATE_RATIO, l.updateRatio());
        double maxAbs = Double.NaN;
        for (ParamGradientStats p : l.params().values()) {
            maxAbs = Double.isNaN(maxAbs) ? p.maxAbs() : Math.max(maxAbs, p.maxAbs());
        }
        m.put(MAX_ABS, maxAbs);
        m.put(NON_FINITE, (double) (l.nanCount() + l.infCount()));
        return m;
    }

    public long iteration() {
        return iteration;
    }

    public int epoch() {
        return epoch;
    }

    public int batchSize() {
        return batchSize;
    }

    /** The score, NaN if absent. */
    public double score() {
        return modelValue(SCORE).orElse(Double.NaN);
    }

    /** The global gradient norm, NaN if absent. */
    public double globalGradientNorm() {
        return modelValue(GLOBAL_GRADIENT_NORM).orElse(Double.NaN);
    }

    /** A model-wide field, empty when this record does not carry it. */
    public OptionalDouble modelValue(String field) {
        for (int i = 0; i < modelFields.length; i++) {
            if (modelFields[i].equals(field)) {
                return OptionalDouble.of(modelValues[i]);
            }
        }
        return OptionalDouble.empty();
    }

    /** Names of the model-wide fields this record carries, in stored order. */
    public List<String> modelFields() {
        return List.of(modelFields);
    }

    /** The layer names, in layer order. */
    public List<String> layerNames() {
        return List.of(layerNames);
    }

    /** Names of the per-layer fields this record carries, in stored order. */
    public List<String> layerFields() {
        return List.of(layerFields);
    }

    /** One layer's field, NaN when the record does not carry the field. */
    public double layerValue(int layer, String field) {
        Objects.checkIndex(layer, layerNames.length);
        for (int f = 0; f < layerFields.length; f++) {
            if (layerFields[f].equals(field)) {
                return layerValues[layer * layerFields.length + f];
            }
        }
        return Double.NaN;
    }

    /** The layer this step trained on its own in layer-wise pretraining; empty for a step of the whole network. */
    public Optional<String> pretrainedLayer() {
        return pretrainedLayer.isEmpty() ? Optional.empty() : Optional.of(pretrainedLayer);
    }

    /** The parameter arrays DL4J moved without a gradient in this step, in layer order; empty when there are none. */
    public List<MovedParam> moved() {
        return moved;
    }

    /**
     * The layers a layer filter left out of {@link #layerNames()}: the filter's description, their count, parameter
     * count, gradient norm (batch-averaged units) and NaN/Inf counts. Empty when every layer is watched, and for a
     * record written before the summary was stored.
     */
    public Optional<UnwatchedLayers> unwatched() {
        return Optional.ofNullable(unwatched);
    }

    @Override
    byte kind() {
        return RecordCodec.UPDATE;
    }

    @Override
    void writeBody(DataOutputStream out) throws IOException {
        out.writeLong(iteration);
        out.writeInt(epoch);
        out.writeInt(batchSize);
        out.writeInt(modelFields.length);
        for (int i = 0; i < modelFields.length; i++) {
            out.writeUTF(modelFields[i]);
            out.writeDouble(modelValues[i]);
        }
        out.writeInt(layerFields.length);
        for (String f : layerFields) {
            out.writeUTF(f);
        }
        out.writeInt(layerNames.length);
        for (int l = 0; l < layerNames.length; l++) {
            writeText(out, layerNames[l]);
            for (int f = 0; f < layerFields.length; f++) {
                out.writeDouble(layerValues[l * layerFields.length + f]);
            }
        }
        writeText(out, pretrainedLayer);
        out.writeInt(moved.size());
        for (int i = 0; i < moved.size(); i++) {
            MovedParam m = moved.get(i);
            out.writeInt(movedLayers[i]);
            writeText(out, m.param());
            out.writeLong(m.size());
            out.writeDouble(m.paramNorm());
            out.writeDouble(m.updateNorm());
            out.writeDouble(m.updateRatio());
        }
        out.writeBoolean(unwatched != null);
        if (unwatched != null) {
            writeText(out, unwatched.filter());
            out.writeInt(unwatched.layerCount());
            out.writeLong(unwatched.paramCount());
            out.writeDouble(unwatched.gradientNorm());
            out.writeLong(unwatched.nanCount());
            out.writeLong(unwatched.infCount());
        }
    }

    @Override
    void readBody(RecordCodec.In in) throws IOException {
        long it = in.nonNegativeLong("iteration");
        int ep = in.data.readInt();
        int batch = in.data.readInt();
        int nModel = in.count("model field", RecordCodec.MAX_FIELDS, 10);
        String[] mf = new String[nModel];
        double[] mv = new double[nModel];
        for (int i = 0; i < nModel; i++) {
            mf[i] = in.string();
            mv[i] = in.data.readDouble();
        }
        int nFields = in.count("layer field", RecordCodec.MAX_FIELDS, 2);
        String[] lf = new String[nFields];
        for (int f = 0; f < nFields; f++) {
            lf[f] = in.string();
        }
        int nLayers = in.count("layer", RecordCodec.MAX_LAYERS, 2 + 8 * nFields);
        String[] ln = new String[nLayers];
        double[] lv = new double[nLayers * nFields];
        for (int l = 0; l < nLayers; l++) {
            ln[l] = in.string();
            for (int f = 0; f < nFields; f++) {
                lv[l * nFields + f] = in.data.readDouble();
            }
        }
        String pretrained = "";
        List<MovedParam> mp = List.of();
        int[] ml = new int[0];
        if (in.remaining() > 0) { // absent in records written before pretraining and moved arrays were carried
            pretrained = in.string();
            int nMoved = in.count("moved parameter", RecordCodec.MAX_MOVED, 4 + 2 + 8 + 3 * 8);
            List<MovedParam> read = new ArrayList<>(nMoved);
            ml = new int[nMoved];
            for (int i = 0; i < nMoved; i++) {
                int layer = in.data.readInt();
                ml[i] = layer;
                if (layer < 0 || layer >= nLayers) {
                    throw RecordCodec.corrupt("moved parameter layer index " + layer + " out of range [0, " + nLayers
                            + ")");
                }
                String param = in.string();
                long size = in.nonNegativeLong("moved parameter size");
                read.add(new MovedParam(ln[layer], param, size, in.data.readDouble(), in.data.readDouble(),
                        in.data.readDouble()));
            }
            mp = List.copyOf(read);
        }
        UnwatchedLayers uw = null;
        if (in.remaining() > 0) { // absent in records written before the layer filter's summary was carried
            byte present = in.data.readByte();
            if (present != 0 && present != 1) {
                throw RecordCodec.corrupt("unwatched-layers flag " + present + " (expected 0 or 1)");
            }
            if (present == 1) {
                String filter = in.string();
                int layerCount = in.data.readInt();
                if (layerCount < 0) {
                    throw RecordCodec.corrupt("unwatched layer count must be >= 0 (got: " + layerCount + ")");
                }
                long paramCount = in.nonNegativeLong("unwatched parameter count");
                double norm = in.data.readDouble();
                long nan = in.nonNegativeLong("unwatched NaN count");
                long inf = in.nonNegativeLong("unwatched Inf count");
                uw = new UnwatchedLayers(filter, layerCount, paramCount, norm, nan, inf);
            }
        }
        this.iteration = it;
        this.epoch = ep;
        this.batchSize = batch;
        this.modelFields = mf;
        this.modelValues = mv;
        this.layerFields = lf;
        this.layerNames = ln;
        this.layerValues = lv;
        this.pretrainedLayer = pretrained;
        this.moved = mp;
        this.movedLayers = ml;
        this.unwatched = uw;
    }

    @Override
    public String toString() {
        return "GradientUpdate{session=" + getSessionID() + ", worker=" + getWorkerID() + ", iteration=" + iteration
                + ", layers=" + Arrays.toString(layerNames) + '}';
    }
}
