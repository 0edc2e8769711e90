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
     */
    public record LayerInfo(String name, String type, int index) implements Serializable {
        public LayerInfo {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
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
            layers.add(new LayerInfo(l.name(), l.type(), l.index()));
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
    }

    @Override
    void readBody(RecordCodec.In in) throws IOException {
        int n = in.count("layer", RecordCodec.MAX_LAYERS, 8);
        List<LayerInfo> read = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            read.add(new LayerInfo(in.string(), in.string(), in.data.readInt()));
        }
        this.layers = List.copyOf(read);
    }

    @Override
    public String toString() {
        return "GradientStaticInfo{session=" + getSessionID() + ", worker=" + getWorkerID() + ", layers="
                + layers.size() + '}';
    }
}
