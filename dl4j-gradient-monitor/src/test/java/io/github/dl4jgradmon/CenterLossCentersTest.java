package io.github.dl4jgradmon;

import io.github.dl4jgradmon.clip.GradientClipping;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;
import io.github.dl4jgradmon.stats.MovedParamStats;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.CenterLossOutputLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

/**
 * CenterLossOutputLayer moves its class centers {@code cL} itself (NoOp updater): the monitor reports their values
 * and change apart from the gradient statistics, and its clipping never touches them.
 */
class CenterLossCentersTest {

    private static MultiLayerNetwork net() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5)
                .dataType(DataType.DOUBLE).updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.TANH).build())
                .layer(new CenterLossOutputLayer.Builder().lossFunction(LossFunctions.LossFunction.MCXENT).nIn(5)
                        .nOut(3).activation(Activation.SOFTMAX).alpha(0.5).lambda(0.1).build())
                .build());
        net.init();
        return net;
    }

    private static DataSet data() {
        DataSet d = Nets.classification(3, 6, 4, 3);
        return new DataSet(d.getFeatures().castTo(DataType.DOUBLE), d.getLabels().castTo(DataType.DOUBLE));
    }

    @Test
    void centersAreReportedAsMovedWithTheirValuesAndChange() {
        MultiLayerNetwork net = net();
        GradientMonitor monitor = GradientMonitor.builder().build();
        net.addListeners(monitor);
        DataSet data = data();
        net.fit(data);
        INDArray before = net.getLayer(1).getParam("cL").dup();
        net.fit(data);
        INDArray after = net.getLayer(1).getParam("cL").dup();

        LayerGradientStats out = monitor.latest().orElseThrow().layers().get(1);
        assertThat(out.params()).as("gradient-driven parameters").containsOnlyKeys("W", "b");
        MovedParamStats centers = out.moved().get("cL");
        assertThat(centers.size()).isEqualTo(15);
        double change = after.sub(before).norm2Number().doubleValue();
        assertThat(change).as("the layer moves its centers").isPositive();
        assertThat(centers.updateNorm()).isCloseTo(change, withinPercentage(1e-4));
        assertThat(centers.paramNorm()).isCloseTo(before.norm2Number().doubleValue(), within(1e-12));
        assertThat(monitor.faultCount()).isZero();
    }

    @Test
    void clippingLeavesTheCentersAlone() {
        MultiLayerNetwork plain = net();
        MultiLayerNetwork clipped = net();
        clipped.addListeners(GradientMonitor.builder().clipping(GradientClipping.value(1e-9)).build());
        DataSet data = data();
        plain.fit(data);
        clipped.fit(data);

        assertThat(clipped.getLayer(1).getParam("W").equalsWithEps(plain.getLayer(1).getParam("W"), 1e-6))
                .as("the weights' gradient was clipped").isFalse();
        assertThat(clipped.getLayer(1).getParam("cL").sub(net().getLayer(1).getParam("cL")).norm2Number()
                .doubleValue()).as("the centers moved").isPositive();
        assertThat(clipped.getLayer(1).getParam("cL")).as("the centers' step is the layer's own, unclipped")
                .isEqualTo(plain.getLayer(1).getParam("cL"));
    }
}
