package io.github.dl4jgradmon.internal.model;

import io.github.dl4jgradmon.model.LayerSlot;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The activation each layer applies reaches the layout by name, so that hints can tell a ReLU network from a
 * sigmoid one: batch normalization (which carries DL4J's default sigmoid in its configuration and never applies it)
 * has none; an LSTM names its cell activation.
 */
class ActivationNameTest {

    @Test
    void layoutNamesTheActivationEachLayerApplies() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(8).activation(Activation.RELU).build())
                .layer(new BatchNormalization.Builder().nOut(8).build())
                .layer(new DenseLayer.Builder().nIn(8).nOut(8).activation(new ActivationLReLU(0.2)).build())
                .layer(new DenseLayer.Builder().nIn(8).nOut(8).build()) // DL4J's default: sigmoid
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        net.initGradientsView(); // the layout reads DL4J's gradient views too

        assertThat(ModelAdapter.of(net).orElseThrow().layout().layers()).extracting(LayerSlot::activationName)
                .containsExactly("relu", "", "leakyrelu", "sigmoid", "softmax");
    }

    @Test
    void anLstmNamesItsCellActivation() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new LSTM.Builder().nIn(3).nOut(5).activation(Activation.TANH).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        net.initGradientsView(); // the layout reads DL4J's gradient views too

        assertThat(ModelAdapter.of(net).orElseThrow().layout().layers()).extracting(LayerSlot::activationName)
                .containsExactly("tanh", "softmax");
    }
}
