package io.github.dl4jgradmon;

import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import org.assertj.core.data.Offset;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9, finding 5: a network in which nothing learns must not be silent. All gradients exactly zero (a zoo ResNet50
 * after two steps of its default RmsProp on random data), nearly all parameter arrays at exactly zero (a UNet with 47
 * of 48), and a deep sigmoid net whose gradients all collapse while the loss sits at chance level.
 */
class DeadAndStalledNetworksTest {

    /** Zeroes the whole gradient from a given iteration on, as a dead network's backprop would. */
    private static final class ZeroFrom extends BaseTrainingListener {
        private final int from;

        ZeroFrom(int from) {
            this.from = from;
        }

        @Override
        public void onGradientCalculation(Model model) {
            MultiLayerNetwork net = (MultiLayerNetwork) model;
            if (net.getIterationCount() >= from) {
                net.getGradientsViewArray().assign(0);
            }
        }
    }

    private static List<GradientAlert> ofType(GradientMonitor m, String type) {
        return m.alerts().stream().filter(a -> a.type().name().equals(type)).toList();
    }

    @Test
    void allGradientsExactlyZeroAlertWithinAFewSnapshots() {
        MultiLayerNetwork net = Nets.sgdMlp(8, 16, 16, 3);
        GradientMonitor monitor = GradientMonitor.builder().logAlerts(false).build();
        net.setListeners(new ZeroFrom(2), monitor);
        DataSet data = Nets.classification(1, 16, 8, 3);
        for (int i = 0; i < 8; i++) {
            net.fit(data);
        }
        assertThat(ofType(monitor, "NO_GRADIENT")).first().satisfies(a -> {
            assertThat(a.iteration()).isBetween(2L, 5L);
            assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(a.message()).contains("zero");
        });
    }

    @Test
    void aReluNetWhoseUnitsAreAllDeadLeavesOnlyTheOutputBiasLearningAndIsAlerted() {
        // every hidden ReLU is off for every input: only the output layer's bias gets a gradient (like the UNet with
        // 47 of 48 parameter arrays at exactly zero)
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(4).updater(new Sgd(0.01))
                .weightInit(WeightInit.RELU).biasInit(-50).list();
        list.layer(new DenseLayer.Builder().nIn(8).nOut(16).activation(Activation.RELU).build());
        for (int i = 0; i < 4; i++) {
            list.layer(new DenseLayer.Builder().nIn(16).nOut(16).activation(Activation.RELU).build());
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(3)
                .activation(Activation.SOFTMAX).biasInit(0).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        GradientMonitor monitor = GradientMonitor.builder().logAlerts(false).build();
        net.setListeners(monitor);
        DataSet data = Nets.classification(2, 16, 8, 3);
        for (int i = 0; i < 6; i++) {
            net.fit(data);
        }
        assertThat(monitor.latest().orElseThrow().layers().get(0).params().get("W").zeroFraction()).isEqualTo(1.0);
        assertThat(ofType(monitor, "NO_GRADIENT")).isNotEmpty();
    }

    /** 12 sigmoid layers: every gradient collapses (0.15 at iteration 0, 3e-5 at 65) while the loss stays at ln 4. */
    @Test
    void aDeepSigmoidNetStuckAtChanceWithTinyGradientsIsAStalledRun() {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(9).updater(new Sgd(0.1))
                .weightInit(new NormalDistribution(0, 0.05)).list();
        list.layer(new DenseLayer.Builder().nIn(10).nOut(16).activation(Activation.SIGMOID).build());
        for (int i = 0; i < 10; i++) {
            list.layer(new DenseLayer.Builder().nIn(16).nOut(16).activation(Activation.SIGMOID).build());
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(4)
                .activation(Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        GradientMonitor monitor = GradientMonitor.builder().logAlerts(false).build();
        net.setListeners(monitor);
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.rand(DataType.FLOAT, 64, 10).subi(0.5);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 64, 4);
        for (int i = 0; i < 64; i++) {
            y.putScalar(i, i % 4, 1.0); // balanced random labels: the best the net can do is chance, ln 4
        }
        DataSet data = new DataSet(x, y);
        // the global norm halves about every 5 iterations: below 1e-4 from about iteration 57, and the stall rule
        // needs 30 consecutive tiny snapshots
        for (int i = 0; i < 95; i++) {
            net.fit(data);
        }
        assertThat(monitor.latest().orElseThrow().score()).isCloseTo(Math.log(4), Offset.offset(0.01));
        assertThat(monitor.latest().orElseThrow().globalGradientNorm()).as("every layer tiny").isLessThan(1e-4);
        assertThat(ofType(monitor, "STALLED")).first().satisfies(a -> assertThat(a.message()).contains("stalled"));
    }

    /** The converged twin: gradients small because the loss is low. */
    @Test
    void aConvergedNetWithSmallGradientsIsNotStalled() {
        MultiLayerNetwork net = Nets.mlp(new Adam(0.01), DataType.FLOAT, 10, 16, 16, 4);
        GradientMonitor monitor = GradientMonitor.builder().logAlerts(false).build();
        net.setListeners(monitor);
        Nd4j.getRandom().setSeed(12);
        INDArray x = Nd4j.rand(DataType.FLOAT, 64, 10).subi(0.5);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 64, 4);
        for (int i = 0; i < 64; i++) {
            y.putScalar(i, (x.getDouble(i, 0) > 0 ? 1 : 0) + (x.getDouble(i, 1) > 0 ? 2 : 0), 1.0); // learnable
        }
        DataSet data = new DataSet(x, y);
        for (int i = 0; i < 200; i++) {
            net.fit(data);
        }
        assertThat(monitor.latest().orElseThrow().score()).isLessThan(0.1 * monitor.history().get(0).score());
        assertThat(monitor.alerts()).noneMatch(a -> a.severity().isAtLeast(Severity.WARNING));
    }
}
