package io.github.dl4jgradmon;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.detect.DetectorSuite;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18 §7: a recurrent classifier whose only signal is at the first of many steps goes nowhere with live
 * gradients. The monitor names it VANISHING through time on the recurrent layer, not a generic STALLED. The net: a
 * tanh SimpleRnn with small recurrent weights (N(0, 0.1)) over 30 steps, whose gradient shrinks several times per
 * step back. (With Xavier recurrent weights over 40 steps the same run also stalls, but its gradient reaches the
 * first steps at more than 1e-3 of the last: it stays STALLED.)
 */
class VanishingThroughTimeTest {

    private static final int STEPS = 30;
    private static final int ITERATIONS = 210;

    private static MultiLayerNetwork firstStepRnn() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(7)
                .updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER).list()
                .layer(new LastTimeStep(new SimpleRnn.Builder().nIn(3).nOut(8).activation(Activation.TANH)
                        .weightInitRecurrent(new NormalDistribution(0, 0.1)).build()))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    /** Class one-hot at step {@code signal}, N(0, 0.1) elsewhere; labels one-hot per sequence. */
    private static List<DataSet> signalAt(int signal) {
        Random r = new Random(18);
        List<DataSet> out = new ArrayList<>();
        for (int b = 0; b < 4; b++) {
            INDArray x = Nd4j.zeros(DataType.FLOAT, 8, 3, STEPS);
            INDArray y = Nd4j.zeros(DataType.FLOAT, 8, 3);
            for (int i = 0; i < 8; i++) {
                int k = r.nextInt(3);
                for (int t = 0; t < STEPS; t++) {
                    for (int c = 0; c < 3; c++) {
                        x.putScalar(new long[] {i, c, t}, t == signal ? (c == k ? 1 : 0) : 0.1 * r.nextGaussian());
                    }
                }
                y.putScalar(i, k, 1.0);
            }
            out.add(new DataSet(x, y));
        }
        return out;
    }

    private static GradientMonitor train(int signal, DetectorSuite detectors) {
        MultiLayerNetwork net = firstStepRnn();
        GradientMonitor monitor = GradientMonitor.builder().logAlerts(false).detectors(detectors).build();
        net.setListeners(monitor);
        List<DataSet> data = signalAt(signal);
        for (int i = 0; i < ITERATIONS; i++) {
            net.fit(data.get(i % data.size()));
        }
        return monitor;
    }

    @Test
    void aStalledRnnWhoseSignalIsAtTheFirstStepIsVanishingThroughTimeNotStalled() {
        GradientMonitor monitor = train(0, DetectorSuite.defaults());

        List<GradientAlert> alerts = monitor.alerts();
        assertThat(alerts).noneMatch(a -> a.type() == AlertType.STALLED);
        assertThat(alerts).filteredOn(a -> a.type() == AlertType.VANISHING).first().satisfies(a -> {
            assertThat(a.severity()).isEqualTo(Severity.WARNING);
            assertThat(a.layer()).isEqualTo("layer0");
            assertThat(a.value()).isLessThan(1e-3);
            assertThat(a.message()).contains("vanishes through time", "sequences of 30 steps", "gone nowhere");
            assertThat(a.hint()).contains("TruncatedBPTT", "Bidirectional");
        });
        assertThat(monitor.faultCount()).isZero();
    }

    @Test
    void withVanishingDisabledTheSameRunStaysStalled() {
        GradientMonitor monitor = train(0, DetectorSuite.builder().disable(AlertType.VANISHING).build());

        assertThat(monitor.alerts()).anyMatch(a -> a.type() == AlertType.STALLED);
        assertThat(monitor.alerts()).noneMatch(a -> a.type() == AlertType.VANISHING);
    }
}
