package io.github.dl4jgradmon.samples;

import io.github.dl4jgradmon.GradientMonitor;
import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.cli.SyntheticData;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What it teaches: dead ReLU units. A ReLU unit whose input is negative for every example outputs zero and passes back
 * an exactly-zero gradient: it never learns again. Here a bias initialised at -1.5 kills most units of each hidden
 * layer from the start; the monitor's per-parameter zero fraction shows it and a DEAD_UNITS alert names the layers.
 * The same net with LeakyReLU ({@code .activation(Activation.LEAKYRELU)}) keeps every unit alive.
 *
 * <p>Run: {@code mvn -q -pl samples -am compile exec:java -Dexec.args="dying-relu"}
 */
public final class DyingReluSample {

    static final int ITERATIONS = 60;

    private DyingReluSample() {
    }

    /** First DEAD_UNITS alert of the ReLU run, if any, and whether the LeakyReLU run had one. */
    public record Outcome(Optional<GradientAlert> reluAlert, boolean leakyAlerted, double reluLoss, double leakyLoss) {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    public static Outcome run(PrintStream out) {
        List<DataSet> data = SyntheticData.classification(11, ITERATIONS, 32, 20, 4);
        GradientMonitor relu = train(Activation.RELU, data);
        GradientMonitor leaky = train(Activation.LEAKYRELU, data);
        print(out, "ReLU, biasInit(-1.5)", relu);
        print(out, "LeakyReLU, biasInit(-1.5)", leaky);
        Optional<GradientAlert> alert = relu.alerts().stream().filter(a -> a.type() == AlertType.DEAD_UNITS)
                .findFirst();
        alert.ifPresent(a -> out.printf(Locale.ROOT, "  first DEAD_UNITS alert: iteration %d, layer %s: %s%n    fix: %s%n",
                a.iteration(), a.layer(), a.message(), a.hint()));
        boolean leakyAlerted = leaky.alerts().stream().anyMatch(a -> a.type() == AlertType.DEAD_UNITS);
        return new Outcome(alert, leakyAlerted, last(relu).score(), last(leaky).score());
    }

    private static GradientSnapshot last(GradientMonitor m) {
        return m.latest().orElseThrow();
    }

    private static void print(PrintStream out, String title, GradientMonitor monitor) {
        GradientSnapshot s = last(monitor);
        out.printf(Locale.ROOT, "%s: loss %.4f; fraction of exactly-zero bias gradients per layer:", title, s.score());
        for (LayerGradientStats layer : s.layers()) {
            out.printf(Locale.ROOT, " %s=%.2f", layer.name(), layer.params().get("b").zeroFraction());
        }
        out.println();
    }

    static GradientMonitor train(Activation activation, List<DataSet> data) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(5).updater(new Adam(1e-3))
                .weightInit(WeightInit.RELU).list();
        int nIn = 20;
        for (int i = 0; i < 3; i++) {
            list.layer(new DenseLayer.Builder().nIn(nIn).nOut(64).activation(activation).biasInit(-1.5).build());
            nIn = 64;
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(64).nOut(4)
                .activation(Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        GradientMonitor monitor = Monitors.builder("dead-units-" + activation.name().toLowerCase()).logAlerts(false)
                .historySize(data.size()).build();
        net.addListeners(monitor);
        for (DataSet d : data) {
            net.fit(d);
        }
        return monitor;
    }
}
