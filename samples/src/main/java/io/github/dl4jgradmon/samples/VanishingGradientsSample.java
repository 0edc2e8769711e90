package io.github.dl4jgradmon.samples;

import io.github.dl4jgradmon.GradientMonitor;
import io.github.dl4jgradmon.cli.SyntheticData;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * What it teaches: why a deep sigmoid stack does not learn, seen in the numbers. The sigmoid's derivative is at most
 * 0.25, so each layer of backprop shrinks the gradient; ten layers down, the first layer's gradient is orders of
 * magnitude below the last one's and its weights barely move. The same network with ReLU and He initialisation
 * ({@code .activation(Activation.RELU).weightInit(WeightInit.RELU)}) keeps the gradient flowing.
 *
 * <p>Run: {@code mvn -q -pl samples -am compile exec:java -Dexec.args="vanishing"}
 */
public final class VanishingGradientsSample {

    static final int DEPTH = 10;
    static final int WIDTH = 32;
    static final int ITERATIONS = 150;

    private VanishingGradientsSample() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    /** Trains both networks and prints their profiles; returns the sigmoid net's first/last layer norm ratio. */
    public static double run(PrintStream out) {
        List<DataSet> data = SyntheticData.classification(42, ITERATIONS, 32, 20, 4);
        List<GradientSnapshot> sigmoid = train(Activation.SIGMOID, WeightInit.XAVIER, data).history();
        List<GradientSnapshot> relu = train(Activation.RELU, WeightInit.RELU, data).history();
        GradientProfile.print(out, "Deep sigmoid MLP, " + DEPTH + " hidden layers, Xavier init",
                sigmoid.subList(sigmoid.size() / 2, sigmoid.size()));
        out.printf(Locale.ROOT, "  loss: first %.4f -> last %.4f%n%n", sigmoid.get(0).score(),
                sigmoid.get(sigmoid.size() - 1).score());
        GradientProfile.print(out, "Same MLP with .activation(Activation.RELU).weightInit(WeightInit.RELU)",
                relu.subList(relu.size() / 2, relu.size()));
        out.printf(Locale.ROOT, "  loss: first %.4f -> last %.4f%n", relu.get(0).score(), relu.get(relu.size() - 1).score());
        GradientSnapshot last = sigmoid.get(sigmoid.size() - 1);
        return last.layers().get(0).gradientNorm() / last.layers().get(last.layers().size() - 1).gradientNorm();
    }

    static GradientMonitor train(Activation activation, WeightInit init, List<DataSet> data) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(7).updater(new Sgd(0.1)).weightInit(init).list();
        int nIn = 20;
        for (int i = 0; i < DEPTH; i++) {
            list.layer(new DenseLayer.Builder().nIn(nIn).nOut(WIDTH).activation(activation).build());
            nIn = WIDTH;
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(WIDTH).nOut(4)
                .activation(Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        GradientMonitor monitor = Monitors.builder("vanishing-" + activation.name().toLowerCase())
                .historySize(data.size()).build();
        net.addListeners(monitor);
        for (DataSet batch : data) {
            net.fit(batch);
        }
        return monitor;
    }
}
