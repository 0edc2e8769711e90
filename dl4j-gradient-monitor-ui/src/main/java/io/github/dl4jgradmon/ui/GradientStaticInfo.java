package io.github.dl4jgradmon.ui;

import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectStreamField;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What is known once per (session, worker): the layers the monitor watches, in layer order, and when monitoring
 * started. Posted by {@link GradientStatsSink} before the worker's first {@link GradientUpdate}; DL4J's storages
 * answer queries for a worker only once it has static info.
 *
 * <pre>{@code
 * GradientStaticInfo info = (GradientStaticInfo) storage.getStaticInfo(session, GradientMonitorRecord.TYPE_ID, "0");
 * info.layers().forEach(l -> System.out.println(l.index() + " " + l.name() + " " + l.type()));
 * }</pre>
 */
public final class GradientStaticInfo extends GradientMonitorRecord {

    @Serial
    private static final long serialVersionUID = 2L;
    /** Serialized as the checked frame by {@link GradientMonitorRecord}, never field by field. */
    @Serial
    private static final ObjectStreamField[] serialPersistentFields = {};

    /**
     * One watched layer.
     *
     * @param name  DL4J's layer (or vertex) name
     * @param type  the layer configuration's simple class name, e.g. {@code DenseLayer}
     * @param index MultiLayerNetwork index or ComputationGraph topological position
     * @param dl4jHandling what DL4J's configuration does to the layer's gradient after the monitor measures it and
     *                     before the update (gradient normalization, regularization), in words; empty when a record
     *                     written before this field existed is read
     */
    public record LayerInfo(String name, String type, int index, String dl4jHandling) implements Serializable {
        public LayerInfo {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(dl4jHandling, "dl4jHandling");
        }

        /** A layer whose DL4J gradient handling is not known. */
        public LayerInfo(String name, String type, int index) {
            this(name, type, index, "");
        }
    }

    private List<LayerInfo> layers = List.of();

    /** For DL4J, which instantiates records by class name and then calls {@code decode}. */
    public GradientStaticInfo() {
    }

    public GradientStaticInfo(String sessionId, String workerId, long timestamp, List<LayerInfo> layers) {
        super(sessionId, workerId, timestamp);
        this.layers = List.copyOf(layers);
    }

    /** The static info describing the layers of {@code snapshot}. */
    public static GradientStaticInfo of(String sessionId, GradientSnapshot snapshot, long timestamp) {
        List<LayerInfo> layers = new ArrayList<>();
        for (LayerGradientStats l : snapshot.layers()) {
            layers.add(new LayerInfo(l.name(), l.type(), l.index(), l.dl4jHandling().describe()));
        }
        return new GradientStaticInfo(sessionId, snapshot.workerId(), timestamp, layers);
    }

    /** The watched layers in layer order. */
    public List<LayerInfo> layers() {
        return layers;
    }

    @Override
    byte kind() {
        return RecordCodec.STATIC_INFO;
    }

    @Override
    void writeBody(DataOutputStream out) throws IOException {
        out.writeInt(layers.size());
        for (LayerInfo l : layers) {
            writeText(out, l.name());
            writeText(out, l.type());
            out.writeInt(l.index());
        }
        // appended after the layers, so records written before it existed still read (with an empty text)
        out.writeInt(layers.size());
        for (LayerInfo l : layers) {
            writeText(out, l.dl4jHandling());
        }
    }

    @Override
    void readBody(RecordCodec.In in) throws IOException {
        int n = in.count("layer", RecordCodec.MAX_LAYERS, 8);
        List<LayerInfo> read = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            read.add(new LayerInfo(in.string(), in.string(), in.data.readInt()));
        }
        if (in.remaining() > 0) {
            int handled = in.count("layer handling", RecordCodec.MAX_LAYERS, 2);
            if (handled != n) {
                throw RecordCodec.corrupt("layer handling count " + handled + " differs from the layer count " + n);
            }
            for (int i = 0; i < n; i++) {
                LayerInfo l = read.get(i);
                read.set(i, new LayerInfo(l.name(), l.type(), l.index(), in.string()));
            }
        }
        this.layers = List.copyOf(read);
    }

    @Override
    public String toString() {
        return "GradientStaticInfo{session=" + getSessionID() + ", worker=" + getWorkerID() + ", layers="
                + layers.size() + '}';
    }
}
