package io.github.dl4jgradmon.cli.check;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Small configurations of every input kind. */
final class TestModels {

    private TestModels() {
    }

    /** A small CNN built the usual way, with InputType.convolutional (DL4J's JSON then keeps no height/width). */
    static MultiLayerConfiguration cnn(int h, int w, int c, int classes) {
        return new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(1e-3)).weightInit(WeightInit.RELU)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new DenseLayer.Builder().nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(h, w, c)).build();
    }

    /** The same CNN built with InputType.convolutionalFlat: its JSON keeps the shape. */
    static MultiLayerConfiguration cnnFlat(int h, int w, int c, int classes) {
        return new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(1e-3)).weightInit(WeightInit.RELU)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(h, w, c)).build();
    }

    /** An LSTM with per-step softmax outputs. */
    static MultiLayerConfiguration lstm(int nIn, int classes) {
        return new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(1e-2)).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new LSTM.Builder().nIn(nIn).nOut(8).activation(Activation.TANH).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(classes)
                        .activation(Activation.SOFTMAX).build())
                .build();
    }

    /** Two inputs: "meta" (5 values, a dense layer) and "image" (8x8x1, a convolution), merged into one softmax. */
    static ComputationGraphConfiguration twoInputs() {
        return new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(1e-3)).weightInit(WeightInit.RELU)
                .graphBuilder()
                .addInputs("meta", "image")
                .setInputTypes(InputType.feedForward(5), InputType.convolutional(8, 8, 1))
                .addLayer("dense", new DenseLayer.Builder().nOut(8).activation(Activation.RELU).build(), "meta")
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build(),
                        "image")
                .addLayer("convDense", new DenseLayer.Builder().nOut(8).activation(Activation.RELU).build(), "conv")
                .addVertex("merge", new MergeVertex(), "dense", "convDense")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "merge")
                .setOutputs("out").build();
    }

    /** A model whose first layer takes word indices. */
    static MultiLayerConfiguration embedding() {
        return new NeuralNetConfiguration.Builder().seed(3).list()
                .layer(new EmbeddingLayer.Builder().nIn(100).nOut(8).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .build();
    }
}
