package io.github.dl4jgradmon.spark;

import io.github.dl4jgradmon.model.GradientHandling;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;
import io.github.dl4jgradmon.stats.MovedParamStats;
import io.github.dl4jgradmon.stats.ParamGradientStats;
import io.github.dl4jgradmon.stats.UnwatchedLayers;
import io.github.dl4jgradmon.ui.GradientUpdate;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker's snapshot renamed to its series keeps every field, and its record crosses Java serialization (how Spark
 * ships records from the executors to the driver) with the moved arrays and the pretrained layer.
 */
class WorkerOutletTest {

    private static GradientSnapshot pretrainingWithCenters() {
        LayerGradientStats layer = new LayerGradientStats("vae", 0, "VariationalAutoencoder", 0.5, 2.0, 0.01,
                Map.of("W", new ParamGradientStats(12, 0.5, 0.1, 0.2, 0.0, 0, 0, 2.0, 0.01, 0.005)), Double.NaN,
                Map.of("cL", new MovedParamStats(6, 1.5, 0.03, 0.02)), GradientHandling.NONE);
        return new GradientSnapshot("3", 7, 0, 0.9, 16, 0.5, 1_000, List.of(layer)).asPretrainingOf("vae");
    }

    @Test
    void renamingKeepsThePretrainedLayerAndTheMovedArrays() {
        GradientSnapshot renamed = WorkerOutlet.renamed(pretrainingWithCenters(), "0-p1", 2_000);

        assertThat(renamed.workerId()).isEqualTo("0-p1");
        assertThat(renamed.timestampMillis()).isEqualTo(2_000);
        assertThat(renamed.pretrainedLayer()).contains("vae");
        assertThat(renamed.layers().get(0).moved()).containsEntry("cL", new MovedParamStats(6, 1.5, 0.03, 0.02));
        assertThat(renamed.graph()).isEqualTo(pretrainingWithCenters().graph());
    }

    @Test
    void renamingKeepsWhatALayerFilterLeftOut() {
        GradientSnapshot s = pretrainingWithCenters();
        UnwatchedLayers left = new UnwatchedLayers("layers=[vae]", 2, 300, 0.25, 0, 0);
        GradientSnapshot filtered = new GradientSnapshot(s.workerId(), s.iteration(), s.epoch(), s.score(),
                s.batchSize(), s.globalGradientNorm(), s.timestampMillis(), s.layers(), s.reaction(), s.graph(),
                Optional.empty(), Optional.of(left));

        assertThat(WorkerOutlet.renamed(filtered, "0-p1", 2_000).unwatched()).contains(left);
    }

    @Test
    void aRecordCrossesJavaSerializationWithItsMovedArraysAndPretrainedLayer() throws Exception {
        GradientUpdate sent = GradientUpdate.of("s", WorkerOutlet.renamed(pretrainingWithCenters(), "0-p1", 2_000),
                2_000);

        GradientUpdate received = (GradientUpdate) deserialize(serialize(sent));

        assertThat(received.getWorkerID()).isEqualTo("0-p1");
        assertThat(received.pretrainedLayer()).contains("vae");
        assertThat(received.moved()).containsExactly(new GradientUpdate.MovedParam("vae", "cL", 6, 1.5, 0.03, 0.02));
    }

    private static byte[] serialize(Object o) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    private static Object deserialize(byte[] b) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b))) {
            return in.readObject();
        }
    }
}
