package io.github.dl4jgradmon.ui;

import io.github.dl4jgradmon.GradientMonitor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;

/**
 * A real training run that vanishes: 12 sigmoid layers, SGD, 60 iterations. The default detectors raise VANISHING
 * after their patience of 5 snapshots.
 */
final class DeepSigmoidRun {

    static final int DEPTH = 12;
    static final int ITERATIONS = 60;

    private DeepSigmoidRun() {
    }

    /** Trains with a monitor that reports to every sink; extra listeners (e.g. DL4J's StatsListener) join. */
    static GradientMonitor train(List<GradientStatsSink> sinks, TrainingListener... extra) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(7).updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).list();
        int nIn = 20;
        for (int i = 0; i < DEPTH; i++) {
            list.layer(new DenseLayer.Builder().name("dense" + i).nIn(nIn).nOut(24)
                    .activation(Activation.SIGMOID).build());
            nIn = 24;
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nIn(nIn).nOut(4)
                .activation(Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        GradientMonitor.Builder builder = GradientMonitor.builder().logAlerts(false);
        sinks.forEach(s -> builder.onSnapshot(s).onAlert(s));
        GradientMonitor monitor = builder.build();
        net.addListeners(monitor);
        for (TrainingListener l : extra) {
            net.addListeners(l);
        }
        for (DataSet batch : data()) {
            net.fit(batch);
        }
        return monitor;
    }

    private static List<DataSet> data() {
        Nd4j.getRandom().setSeed(42);
        INDArray teacher = Nd4j.randn(DataType.FLOAT, 20, 4);
        List<DataSet> out = new ArrayList<>();
        for (int b = 0; b < ITERATIONS; b++) {
            INDArray x = Nd4j.randn(DataType.FLOAT, 32, 20);
            INDArray labels = Nd4j.zeros(DataType.FLOAT, 32, 4);
            INDArray best = x.mmul(teacher).argMax(1);
            for (int i = 0; i < 32; i++) {
                labels.putScalar(i, best.getInt(i), 1.0);
            }
            out.add(new DataSet(x, labels));
        }
        return out;
    }
}
