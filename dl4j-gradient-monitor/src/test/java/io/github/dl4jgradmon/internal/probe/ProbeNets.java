package io.github.dl4jgradmon.internal.probe;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.ConstantDistribution;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Small recurrent classifiers for the probe's tests. */
final class ProbeNets {

    private ProbeNets() {
    }

    /**
     * LastTimeStep(SimpleRnn(nOut, tanh)) + MSE identity output, in double; the recurrent weights all equal
     * {@code recurrent} (0.01: the gradient shrinks about 30x per step back; 0: only the last step's input matters).
     */
    static MultiLayerNetwork simpleRnn(int nIn, int nOut, double recurrent) {
        return simpleRnn(nIn, nOut, recurrent, Activation.TANH);
    }

    /** As {@link #simpleRnn(int, int, double)} with another activation. */
    static MultiLayerNetwork simpleRnn(int nIn, int nOut, double recurrent, Activation activation) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .dataType(DataType.DOUBLE).weightInit(WeightInit.XAVIER).list()
                .layer(new LastTimeStep(new SimpleRnn.Builder().nIn(nIn).nOut(nOut).activation(activation)
                        .weightInitRecurrent(new ConstantDistribution(recurrent)).build()))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(nOut).nOut(nIn)
                        .activation(Activation.IDENTITY).build())
                .build());
        net.init();
        return net;
    }

    /** LastTimeStep(LSTM(8, tanh), dropout 0.5) + softmax output over 3 classes, Adam(1e-2), float. */
    static MultiLayerNetwork lstmWithDropout() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(11)
                .updater(new Adam(1e-2)).weightInit(WeightInit.XAVIER).list()
                .layer(new LastTimeStep(new LSTM.Builder().nIn(3).nOut(8).activation(Activation.TANH)
                        .dropOut(0.5).build()))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(3)
                        .activation(Activation.SOFTMAX).dropOut(0.5).build())
                .build());
        net.init();
        return net;
    }

    /** Features N(0, 1) [mb, nIn, steps] of the given type, from a fixed seed. */
    static INDArray sequences(long seed, DataType type, int mb, int nIn, int steps) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(type, mb, nIn, steps);
    }

    /** One-hot labels [mb, classes], example i of class i mod classes. */
    static INDArray oneHot(DataType type, int mb, int classes) {
        INDArray y = Nd4j.zeros(type, mb, classes);
        for (int i = 0; i < mb; i++) {
            y.putScalar(i, i % classes, 1.0);
        }
        return y;
    }
}
