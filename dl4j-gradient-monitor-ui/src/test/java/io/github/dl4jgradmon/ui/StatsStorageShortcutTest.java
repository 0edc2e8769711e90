package io.github.dl4jgradmon.ui;

import io.github.dl4jgradmon.GradientMonitor;
import io.github.dl4jgradmon.clip.GradientClipping;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code GradientMonitor.builder().statsStorage(router)} finds this module's sink through the service loader. */
class StatsStorageShortcutTest {

    @Test
    void builderShortcutPostsSnapshotsWithClippingActivity() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        GradientMonitor monitor = GradientMonitor.builder().statsStorage(storage).logAlerts(false)
                .clipping(GradientClipping.globalNorm(1e-3)).build();
        trained(monitor, 3);

        String session = storage.listSessionIDs().get(0);
        List<Persistable> updates = storage.getAllUpdatesAfter(session, GradientMonitorRecord.TYPE_ID, "0", 0);
        assertThat(updates).hasSize(3).allSatisfy(p -> {
            GradientUpdate u = (GradientUpdate) p;
            double expected = monitor.history().get((int) u.iteration()).reaction().normAfter()
                    / monitor.history().get((int) u.iteration()).reaction().normBefore();
            assertThat(u.modelValue(GradientUpdate.CLIP_SCALE)).hasValueCloseTo(expected,
                    within(1e-9));
            assertThat(u.modelValue(GradientUpdate.CLIP_SCALE).getAsDouble()).isLessThan(1);
            assertThat(u.modelValue(GradientUpdate.STEP_SKIPPED)).hasValue(0.0);
        });
    }

    @Test
    void aLayerFilterPostsTheWatchedLayersOnlyWithTheWholeModelsGlobalNorm() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        GradientMonitor monitor = GradientMonitor.builder().statsStorage(storage).logAlerts(false)
                .layers("OutputLayer").build();
        trained(monitor, 2);

        String session = storage.listSessionIDs().get(0);
        List<Persistable> updates = storage.getAllUpdatesAfter(session, GradientMonitorRecord.TYPE_ID, "0", 0);
        assertThat(updates).hasSize(2).allSatisfy(p -> {
            GradientUpdate u = (GradientUpdate) p;
            assertThat(u.layerNames()).containsExactly("layer1");
            assertThat(u.globalGradientNorm())
                    .isEqualTo(monitor.history().get((int) u.iteration()).globalGradientNorm())
                    .isGreaterThan(u.layerValue(0, GradientUpdate.GRADIENT_NORM));
        });
    }

    /** A 4-5-2 tanh net under plain SGD with the monitor attached, fitted {@code fits} times on one seeded batch. */
    private static MultiLayerNetwork trained(GradientMonitor monitor, int fits) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .updater(new Sgd(0.1)).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(5).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .build());
        net.init();
        net.addListeners(monitor);
        Nd4j.getRandom().setSeed(2);
        DataSet data = new DataSet(Nd4j.rand(DataType.FLOAT, 8, 4), Nd4j.rand(DataType.FLOAT, 8, 2));
        for (int i = 0; i < fits; i++) {
            net.fit(data);
        }
        return net;
    }
}
