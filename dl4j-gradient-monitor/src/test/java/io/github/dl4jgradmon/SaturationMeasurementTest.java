package io.github.dl4jgradmon;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.stats.BufferPath;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SaturationMeasurementTest {

    @AfterEach
    void defaultPath() {
        TestPaths.reset();
    }

    private static MultiLayerNetwork net(double initStd) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .updater(new Sgd(1e-6)).weightInit(new NormalDistribution(0, initStd)).list()
                .layer(new DenseLayer.Builder().nIn(10).nOut(16).activation(Activation.SIGMOID).build())
                .layer(new DenseLayer.Builder().nIn(16).nOut(16).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nIn(16).nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    /** Fraction of the pre-activations z = x W + b beyond +-5, computed from the layer's own input. */
    private static double inputsBeyondFive(MultiLayerNetwork net, INDArray features, int layer) {
        List<INDArray> acts = net.feedForward(features, true);
        INDArray z = acts.get(layer).mmul(net.getParam(layer + "_W")).addRowVector(net.getParam(layer + "_b"));
        double beyond = Transforms.abs(z).gt(5).castTo(DataType.DOUBLE).sumNumber()
                .doubleValue();
        return beyond / z.length();
    }

    @ParameterizedTest
    @EnumSource(BufferPath.class)
    void saturationIsTheFractionOfSigmoidAndTanhInputsBeyondFive(BufferPath path) {
        TestPaths.use(path);
        MultiLayerNetwork net = net(2.0);
        GradientMonitor monitor = GradientMonitor.builder().logAlerts(false).build();
        net.setListeners(monitor);
        DataSet data = Nets.classification(1, 32, 10, 3);
        data.setFeatures(data.getFeatures().mul(3));
        net.fit(data); // the layout is made at the first gradient; saturation is measured from the second iteration
        double expectedSigmoid = inputsBeyondFive(net, data.getFeatures(), 0);
        double expectedTanh = inputsBeyondFive(net, data.getFeatures(), 1);
        net.fit(data);

        GradientSnapshot s = monitor.latest().orElseThrow();
        assertThat(s.layers().get(0).saturation()).isGreaterThan(0.3)
                .isCloseTo(expectedSigmoid, within(0.02)); // float outputs near the cut-off round either way
        assertThat(s.layers().get(1).saturation()).isCloseTo(expectedTanh, within(0.02));
        assertThat(s.layers().get(2).saturation()).as("ReLU is not measured").isNaN();
        assertThat(s.layers().get(3).saturation()).as("the output layer's activations are not passed").isNaN();
    }

    @Test
    void aSaturatedSigmoidLayerIsAlertedAndAModestInitIsNot() {
        DataSet data = Nets.classification(2, 32, 10, 3);
        data.setFeatures(data.getFeatures().mul(3));
        MultiLayerNetwork saturated = net(3.0);
        GradientMonitor hot = GradientMonitor.builder().logAlerts(false).build();
        saturated.setListeners(hot);
        MultiLayerNetwork modest = net(0.1);
        GradientMonitor calm = GradientMonitor.builder().logAlerts(false).build();
        modest.setListeners(calm);
        for (int i = 0; i < 15; i++) {
            saturated.fit(data);
            modest.fit(data);
        }
        assertThat(hot.alerts()).filteredOn(a -> a.type() == AlertType.SATURATION)
                .extracting(GradientAlert::layer).contains(hot.latest().orElseThrow().layers().get(0).name());
        assertThat(calm.alerts()).noneMatch(a -> a.type() == AlertType.SATURATION);
        assertThat(calm.latest().orElseThrow().layers()).extracting(LayerGradientStats::saturation)
                .first().satisfies(f -> assertThat((double) f).isLessThan(0.05));
    }
}
