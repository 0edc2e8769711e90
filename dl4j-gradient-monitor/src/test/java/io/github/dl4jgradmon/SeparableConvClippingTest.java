package io.github.dl4jgradmon;

import io.github.dl4jgradmon.clip.GradientClipping;
import io.github.dl4jgradmon.stats.BufferPath;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-parameter clipping on a SeparableConvolution2D, whose bias comes first in the flat buffer: with plain SGD the
 * parameter change divided by the learning rate must equal the rule applied here, independently, to each of DL4J's
 * own per-parameter gradient arrays of an identical twin.
 */
class SeparableConvClippingTest {

    private static final double LR = 0.5;

    @AfterEach
    void defaultPath() {
        TestPaths.reset();
    }

    private static MultiLayerNetwork net() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(9)
                .dataType(DataType.DOUBLE).updater(new Sgd(LR)).weightInit(WeightInit.XAVIER).list()
                .layer(new SeparableConvolution2D.Builder(3, 3).nOut(4).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(5, 5, 2))
                .build());
        net.init();
        return net;
    }

    private static DataSet data() {
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 6, 2, 5, 5).subi(0.5).muli(4);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 6, 3);
        for (int i = 0; i < 6; i++) {
            y.putScalar(i, i % 3, 1.0);
        }
        return new DataSet(x, y);
    }

    /** Batch-averaged gradient of a fresh twin, per DL4J gradient key ({@code 0_b}, ...), in double. */
    private static Map<String, INDArray> averagedGradient(DataSet data) {
        return SgdOracle.averagedGradient(net(), data);
    }

    private static void check(GradientClipping clipping, UnaryOperator<Map<String, INDArray>> rule) {
        DataSet data = data();
        Map<String, INDArray> expected = rule.apply(averagedGradient(data));
        MultiLayerNetwork net = net();
        GradientMonitor monitor = GradientMonitor.builder().clipping(clipping).build();
        net.addListeners(monitor);
        assertThat(expected).containsKeys("0_b", "0_W", "0_pW");
        SgdOracle.checkAppliedSteps(net, data, LR, expected);
        assertThat(monitor.faultCount()).isZero();
        TestPaths.check(monitor);
    }

    @ParameterizedTest
    @EnumSource(BufferPath.class)
    void perParamTypeClipsEachParameterOfTheSeparableLayerByItsOwnNorm(BufferPath path) {
        TestPaths.use(path);
        Map<String, INDArray> g0 = averagedGradient(data());
        double maxNorm = g0.get("0_b").norm2Number().doubleValue() * 0.6;
        assertThat(g0.get("0_pW").norm2Number().doubleValue()).as("pW is clipped too").isGreaterThan(maxNorm);
        check(GradientClipping.perParamType(maxNorm), g -> SgdOracle.clippedPerArray(g, maxNorm));
    }
}
