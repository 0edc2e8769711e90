package io.github.dl4jgradmon;

import io.github.dl4jgradmon.alert.AlertHandler;
import io.github.dl4jgradmon.detect.DetectorSuite;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import org.deeplearning4j.core.storage.impl.CollectionStatsStorageRouter;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.variational.VariationalAutoencoder;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LifecycleTest {

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void builderRejectsNonPositiveValuesNamingTheOption(int bad) {
        assertThatThrownBy(() -> GradientMonitor.builder().frequency(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("frequency must be >= 1 (got: " + bad + ")");
        assertThatThrownBy(() -> GradientMonitor.builder().historySize(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("historySize must be >= 1 (got: " + bad + ")");
        assertThatThrownBy(() -> GradientMonitor.builder().threads(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("threads must be >= 1 (got: " + bad + ")");
        assertThatThrownBy(() -> GradientMonitor.builder().alertRepeatInterval(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("alertRepeatInterval must be >= 1 (got: " + bad + ")");
        assertThatThrownBy(() -> GradientMonitor.builder().alertHistorySize(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("alertHistorySize must be >= 1 (got: " + bad + ")");
    }

    @Test
    void builderRejectsNullHandlersAndSuites() {
        assertThatThrownBy(() -> GradientMonitor.builder().onAlert(null)).hasMessageContaining("onAlert");
        assertThatThrownBy(() -> GradientMonitor.builder().onSnapshot(null)).hasMessageContaining("onSnapshot");
        assertThatThrownBy(() -> GradientMonitor.builder().detectors(null)).hasMessageContaining("detectors");
        assertThatThrownBy(() -> GradientMonitor.builder().lapseBudget(null)).hasMessageContaining("lapseBudget");
        assertThatThrownBy(() -> StepBudget.of(-1, 0, 1)).hasMessage("maxConsecutive must be >= 0 (got: -1)");
        assertThatThrownBy(() -> StepBudget.of(0, 0, 0)).hasMessage("windowIterations must be >= 1 (got: 0)");
    }

    @Test
    void statsStorageWithoutTheUiModuleSaysWhatIsMissing() {
        var router = new CollectionStatsStorageRouter(
                new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        assertThatThrownBy(() -> GradientMonitor.builder().statsStorage(router))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dl4j-gradient-monitor-ui");
        assertThatThrownBy(() -> GradientMonitor.builder().statsStorage(null)).hasMessageContaining("statsStorage");
    }

    @Test
    void everyBuilderOptionReachesTheMonitor() {
        AlertHandler alerts = a -> { };
        SnapshotHandler snaps = s -> { };
        DetectorSuite suite = DetectorSuite.none();
        GradientMonitor m = GradientMonitor.builder().frequency(7).historySize(33).threads(3).alertHistorySize(12)
                .alertRepeatInterval(9).lapseBudget(StepBudget.of(0, 2, 30))
                .detectors(suite).onAlert(alerts).onSnapshot(snaps).logAlerts(false).build();
        assertThat(m.lapseBudget()).isEqualTo(StepBudget.of(0, 2, 30));
        assertThat(m.frequency()).isEqualTo(7);
        assertThat(m.historySize()).isEqualTo(33);
        assertThat(m.threads()).isEqualTo(3);
        assertThat(m.alertHistorySize()).isEqualTo(12);
        assertThat(m.alertRepeatInterval()).isEqualTo(9);
        assertThat(m.detectors()).isSameAs(suite);
        assertThat(m.alertHandlers()).containsExactly(alerts);
        assertThat(m.snapshotHandlers()).containsExactly(snaps);
        assertThat(m.logAlerts()).isFalse();
    }

    @Test
    void javaSerializationKeepsTheConfigurationAndTheCopyWorks() throws Exception {
        GradientMonitor original = GradientMonitor.builder().frequency(2).historySize(3).threads(1)
                .lapseBudget(StepBudget.of(1, 5, 50)).build();
        MultiLayerNetwork net = Nets.sgdMlp(6, 5, 2);
        net.addListeners(original);
        net.fit(Nets.classification(1, 4, 6, 2));
        assertThat(original.history()).hasSize(1);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(original);
        }
        GradientMonitor copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (GradientMonitor) in.readObject();
        }

        assertThat(copy.frequency()).isEqualTo(2);
        assertThat(copy.historySize()).isEqualTo(3);
        assertThat(copy.threads()).isEqualTo(1);
        assertThat(copy.lapseBudget()).isEqualTo(StepBudget.of(1, 5, 50));
        assertThat(copy.history()).as("a copy starts empty").isEmpty();
        MultiLayerNetwork other = Nets.sgdMlp(6, 5, 2);
        other.addListeners(copy);
        for (int i = 0; i < 8; i++) {
            other.fit(Nets.classification(i, 4, 6, 2));
        }
        assertThat(copy.history()).extracting(GradientSnapshot::iteration).containsExactly(2L, 4L, 6L);
    }

    @Test
    void layerwisePretrainingLeavesTrainingAndSupervisedMonitoringIntact() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Sgd(0.05))
                .weightInit(WeightInit.XAVIER).list()
                .layer(new VariationalAutoencoder.Builder().nIn(6).nOut(2).encoderLayerSizes(5).decoderLayerSizes(5)
                        .activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(2).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        GradientMonitor monitor = GradientMonitor.builder().build();
        net.addListeners(monitor);
        DataSet data = Nets.classification(2, 8, 6, 2);
        INDArray before = net.getLayer(0).params().dup();

        net.pretrainLayer(0, new ListDataSetIterator<>(List.of(data), 8));

        assertThat(net.getLayer(0).params()).as("pretraining still trained").isNotEqualTo(before);
        assertThat(monitor.faultCount()).isZero();
        net.fit(data);
        assertThat(monitor.latest()).as("supervised training is monitored").isPresent()
                .hasValueSatisfying(s -> assertThat(s.isPretraining()).isFalse());
        assertThat(monitor.faultCount()).isZero();
    }

    @Test
    void aBareLayerOrNullModelIsIgnored() {
        MultiLayerNetwork net = Nets.sgdMlp(6, 5, 2);
        Layer layer = net.getLayer(0);
        GradientMonitor monitor = GradientMonitor.builder().build();

        monitor.onGradientCalculation(layer);
        monitor.iterationDone(layer, 0, 0);
        monitor.onGradientCalculation(null);
        monitor.iterationDone(null, 0, 0);

        assertThat(monitor.history()).isEmpty();
        assertThat(monitor.faultCount()).isZero();
    }

    @Test
    void aFailureInsideTheMonitorIsContainedAndCounted() {
        MultiLayerNetwork broken = new MultiLayerNetwork(Nets.sgdMlp(6, 5, 2).getLayerWiseConfigurations()) {
            @Override
            public INDArray getGradientsViewArray() {
                throw new IllegalStateException("simulated failure");
            }
        };
        broken.init();
        GradientMonitor monitor = GradientMonitor.builder().build();

        monitor.onGradientCalculation(broken);
        monitor.onGradientCalculation(broken);

        assertThat(monitor.faultCount()).isEqualTo(2);
        assertThat(monitor.history()).isEmpty();
    }
}
