package io.github.dl4jgradmon.bench;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.zoo.model.VGG16;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The networks the benchmarks train: an MLP, a LeNet-like CNN, a two-layer LSTM and VGG16 from DL4J's model zoo
 * (built with {@code init()}, random weights, 32x32 input: about 34M parameters). Each trains on one fixed random
 * minibatch, so every iteration does the same work.
 */
public final class Workloads {

    private Workloads() {
    }

    /** One network and its minibatch; {@link #step()} is one training iteration. */
    public record Workload(String key, String description, Model model, DataSet batch) {

        public void step() {
            if (model instanceof MultiLayerNetwork m) {
                m.fit(batch);
            } else {
                ((ComputationGraph) model).fit(batch);
            }
        }

        /** Replaces the network's listeners; null means none. */
        public void listen(TrainingListener listener) {
            List<TrainingListener> list = listener == null ? List.of() : List.of(listener);
            if (model instanceof MultiLayerNetwork m) {
                m.setListeners(list);
            } else {
                ((ComputationGraph) model).setListeners(list);
            }
        }

        public long parameters() {
            return model.numParams();
        }
    }

    /** Builds the workloads named by {@code keys} (mlp, cnn, lstm, vgg16), in that order. */
    public static Workload of(String key) {
        return switch (key.toLowerCase(Locale.ROOT)) {
            case "mlp" -> new Workload("mlp", "MLP 784-512-512-256-10, batch 64, Adam", mlp(), batch(64, 784, 10));
            case "cnn" -> new Workload("cnn", "CNN LeNet-like 28x28x1, batch 64, Adam", cnn(), batch(64, 784, 10));
            case "lstm" -> new Workload("lstm", "LSTM 2x64, 50 steps, batch 32, Adam", lstm(),
                    sequences(32, 16, 5, 50));
            case "vgg16" -> new Workload("vgg16", "VGG16 (zoo, ComputationGraph) 32x32x3, batch 4, Adam", vgg16(),
                    images(4, 3, 32, 10));
            default -> throw new IllegalArgumentException("unknown workload '" + key
                    + "': use mlp, cnn, lstm or vgg16");
        };
    }

    static MultiLayerNetwork mlp() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(1e-3))
                .weightInit(WeightInit.RELU).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(512).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(512).nOut(512).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(512).nOut(256).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(256).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static MultiLayerNetwork cnn() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(1e-3))
                .weightInit(WeightInit.RELU).list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(20).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(50).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new DenseLayer.Builder().nOut(500).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static MultiLayerNetwork lstm() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(1e-3))
                .weightInit(WeightInit.XAVIER).list()
                .layer(new LSTM.Builder().nIn(16).nOut(64).activation(Activation.TANH).build())
                .layer(new LSTM.Builder().nIn(64).nOut(64).activation(Activation.TANH).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(64).nOut(5)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** VGG16 as the zoo builds it, with Adam at a small rate so random data does not blow it up. */
    static ComputationGraph vgg16() {
        return VGG16.builder().seed(1).numClasses(10).inputShape(new int[] {3, 32, 32})
                .updater(new Adam(1e-4)).build().init();
    }

    static DataSet batch(int n, int nIn, int classes) {
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, n, nIn);
        return new DataSet(x, oneHot(n, classes));
    }

    static DataSet images(int n, int channels, int size, int classes) {
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.FLOAT, n, channels, size, size);
        return new DataSet(x, oneHot(n, classes));
    }

    private static INDArray oneHot(int n, int classes) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, classes);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, i % classes, 1);
        }
        return y;
    }

    static DataSet sequences(int n, int nIn, int classes, int length) {
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.rand(DataType.FLOAT, n, nIn, length);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, classes, length);
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < length; t++) {
                y.putScalar(new int[] {i, (i + t) % classes, t}, 1);
            }
        }
        return new DataSet(x, y);
    }

    /** A workload by key, built lazily (VGG16 takes memory and seconds). */
    public static Supplier<Workload> lazy(String key) {
        return () -> of(key);
    }
}
