package com.example;

import io.github.dl4jgradmon.GradientMonitor;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Locale;
import java.util.Random;

/**
 * A user's training code with the monitor added: three lines (build, attach, and optionally a stats storage for the
 * DL4J UI). Run with {@code mvn -q compile exec:java} in this folder, after {@code mvn install -DskipTests} at the
 * repository's root.
 */
public final class TrainWithMonitor {

    static final double LEARNING_RATE = 0.1;

    private TrainWithMonitor() {
    }

    public static void main(String[] args) {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        MultiLayerNetwork net = network();
        GradientMonitor monitor = GradientMonitor.builder().statsStorage(storage).build();
        net.addListeners(monitor);
        DataSet data = data(64, 3);
        for (int i = 0; i < 50; i++) {
            net.fit(data);
        }
        GradientSnapshot last = monitor.latest().orElseThrow();
        System.out.printf(Locale.ROOT, "iterations: %d, layers: %d, global gradient norm: %.4g, alerts: %d, UI sessions: %s%n",
                monitor.history().size(), last.layers().size(), last.globalGradientNorm(), monitor.alerts().size(),
                storage.listSessionIDs());
    }

    static MultiLayerNetwork network() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .updater(new Sgd(LEARNING_RATE)).weightInit(WeightInit.RELU).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(16).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(16).nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    /** Learnable data: the class is the index of the largest of the first three features. */
    static DataSet data(int rows, long seed) {
        Random random = new Random(seed);
        INDArray x = Nd4j.zeros(rows, 4);
        INDArray y = Nd4j.zeros(rows, 3);
        for (int r = 0; r < rows; r++) {
            int best = 0;
            for (int c = 0; c < 4; c++) {
                x.putScalar(r, c, random.nextDouble());
                if (c < 3 && x.getDouble(r, c) > x.getDouble(r, best)) {
                    best = c;
                }
            }
            y.putScalar(r, best, 1.0);
        }
        return new DataSet(x, y);
    }
}
