package io.github.dl4jgradmon.samples;

import io.github.dl4jgradmon.GradientMonitor;
import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.clip.GradientClipping;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What it teaches: a recurrent net whose gradients explode through time. A ReLU SimpleRnn with a large recurrent
 * initialisation and plain SGD at a high learning rate: without clipping the gradient norm grows by orders of magnitude
 * and the loss ends NaN or huge; the monitor's EXPLODING alert comes before the first NaN. The same net with each of
 * the monitor's clipping strategies trains to a finite, lower loss.
 *
 * <p>Run: {@code mvn -q -pl samples -am compile exec:java -Dexec.args="exploding"}
 */
public final class ExplodingGradientsSample {

    static final int ITERATIONS = 120;
    static final double LEARNING_RATE = 0.03;

    private ExplodingGradientsSample() {
    }

    /** The outcome of one run. */
    public record Outcome(String name, double firstLoss, double finalLoss, boolean diverged, long firstExplodingAlert,
                          long firstNonFinite, long clippedSteps) {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    public static List<Outcome> run(PrintStream out) {
        return run(out, allStrategies(), ITERATIONS);
    }

    /** Every clipping strategy, as the sample compares them. */
    public static Map<String, GradientClipping> allStrategies() {
        Map<String, GradientClipping> strategies = new LinkedHashMap<>();
        strategies.put("no clipping", null);
        strategies.put("globalNorm(1.0)", GradientClipping.globalNorm(1.0));
        strategies.put("perLayer(1.0)", GradientClipping.perLayer(1.0));
        strategies.put("value(0.1)", GradientClipping.value(0.1));
        // the output layer is where this regression explodes too, so AGC includes it here
        strategies.put("agc(0.05, all)", GradientClipping.agc(0.05, 1e-3, false));
        strategies.put("autoClip()", GradientClipping.autoClip());
        strategies.put("zClip(cap 5)", GradientClipping.zClip(0.97, 2.5, 25, 5.0));
        return strategies;
    }

    /** Trains the net once per strategy ({@code null}: no clipping) and prints a comparison table. */
    public static List<Outcome> run(PrintStream out, Map<String, GradientClipping> strategies, int iterations) {
        List<DataSet> data = sequences(7, iterations, 16, 3, 40);
        List<Outcome> outcomes = new ArrayList<>();
        out.printf(Locale.ROOT, "ReLU SimpleRnn, 40 steps, recurrent init N(0, 0.15), SGD lr %.2f, %d iterations%n", LEARNING_RATE,
                iterations);
        out.printf(Locale.ROOT, "  %-16s %10s %12s %10s %14s %12s %8s%n", "clipping", "first loss", "final loss", "diverged",
                "EXPLODING at", "first NaN at", "clipped");
        for (Map.Entry<String, GradientClipping> e : strategies.entrySet()) {
            Outcome o = train(e.getKey(), Optional.ofNullable(e.getValue()), data);
            outcomes.add(o);
            out.printf(Locale.ROOT, "  %-16s %10.4f %12.4g %10s %14s %12s %8d%n", o.name, o.firstLoss, o.finalLoss,
                    o.diverged ? "yes" : "no", o.firstExplodingAlert < 0 ? "-" : String.valueOf(o.firstExplodingAlert),
                    o.firstNonFinite < 0 ? "-" : String.valueOf(o.firstNonFinite), o.clippedSteps);
        }
        return outcomes;
    }

    static Outcome train(String name, Optional<GradientClipping> clipping, List<DataSet> data) {
        MultiLayerNetwork net = net();
        GradientMonitor.Builder b = Monitors.builder("exploding-" + name).historySize(data.size()).logAlerts(false);
        clipping.ifPresent(b::clipping);
        GradientMonitor monitor = b.build();
        net.addListeners(monitor);
        for (DataSet batch : data) {
            net.fit(batch);
        }
        List<GradientSnapshot> h = monitor.history();
        long firstNaN = -1;
        long clipped = 0;
        for (GradientSnapshot s : h) {
            if (firstNaN < 0 && (!s.isFinite() || !Double.isFinite(s.score()))) {
                firstNaN = s.iteration();
            }
            clipped += s.reaction().clipped() ? 1 : 0;
        }
        long firstExploding = monitor.alerts().stream().filter(a -> a.type() == AlertType.EXPLODING)
                .mapToLong(GradientAlert::iteration).min().orElse(-1);
        double finalLoss = meanScore(h.subList(h.size() - 10, h.size()));
        boolean diverged = !Double.isFinite(finalLoss) || finalLoss > 10 * h.get(0).score();
        return new Outcome(name, h.get(0).score(), finalLoss, diverged, firstExploding, firstNaN, clipped);
    }

    private static double meanScore(List<GradientSnapshot> snapshots) {
        double sum = 0;
        for (GradientSnapshot s : snapshots) {
            sum += s.score();
        }
        return sum / snapshots.size();
    }

    static MultiLayerNetwork net() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(12).updater(new Sgd(LEARNING_RATE))
                .weightInit(WeightInit.XAVIER).list()
                .layer(new SimpleRnn.Builder().nIn(3).nOut(32).activation(Activation.RELU)
                        .weightInitRecurrent(new NormalDistribution(0, 0.15)).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(32).nOut(1)
                        .activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Running sums of the first input channel, to be predicted at every step: needs memory through time. */
    static List<DataSet> sequences(long seed, int batches, int batch, int nIn, int length) {
        Nd4j.getRandom().setSeed(seed);
        List<DataSet> out = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            INDArray x = Nd4j.randn(DataType.FLOAT, batch, nIn, length).muli(0.5);
            INDArray y = Nd4j.zeros(DataType.FLOAT, batch, 1, length);
            for (int i = 0; i < batch; i++) {
                double sum = 0;
                for (int t = 0; t < length; t++) {
                    sum += x.getDouble(i, 0, t);
                    y.putScalar(new int[] {i, 0, t}, sum / Math.sqrt(t + 1));
                }
            }
            out.add(new DataSet(x, y));
        }
        return out;
    }
}
