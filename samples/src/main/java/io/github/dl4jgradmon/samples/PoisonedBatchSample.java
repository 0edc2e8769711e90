package io.github.dl4jgradmon.samples;

import io.github.dl4jgradmon.GradientMonitor;
import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.cli.SyntheticData;
import io.github.dl4jgradmon.stats.GradientSnapshot;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What it teaches: one bad batch (a NaN in the data) must not cost a training run. Without protection DL4J applies
 * the NaN gradient and every parameter becomes NaN for good. With {@code .skipNonFiniteSteps(true)} the poisoned step
 * is not applied (parameters and Adam's moments are restored), a STEP_SKIPPED alert says so, and training continues to
 * the same loss as a run on clean data.
 *
 * <p>Run: {@code mvn -q -pl samples -am compile exec:java -Dexec.args="poisoned"}
 */
public final class PoisonedBatchSample {

    static final int ITERATIONS = 200;
    static final Set<Integer> POISONED = Set.of(40, 41, 120);

    private PoisonedBatchSample() {
    }

    /** Final losses (mean of the last 20 iterations), the skips observed, the protected run's first NON_FINITE alert. */
    public record Outcome(double cleanLoss, double unprotectedLoss, double protectedLoss, long skipped,
                          Optional<GradientAlert> firstNonFinite) {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    public static Outcome run(PrintStream out) {
        return run(out, ITERATIONS, POISONED);
    }

    /** Clean, unprotected and protected runs over {@code iterations} batches, NaN in the {@code poisonedBatches}. */
    public static Outcome run(PrintStream out, int iterations, Set<Integer> poisonedBatches) {
        List<DataSet> clean = SyntheticData.classification(5, iterations, 32, 20, 4);
        List<DataSet> poisoned = new ArrayList<>();
        for (int i = 0; i < clean.size(); i++) {
            DataSet d = clean.get(i).copy();
            if (poisonedBatches.contains(i)) {
                d.getFeatures().putScalar(3, 7, Double.NaN);
            }
            poisoned.add(d);
        }
        GradientMonitor cleanMonitor = train(clean, false, "poisoned-clean-twin");
        GradientMonitor unprotected = train(poisoned, false, "poisoned-unprotected");
        GradientMonitor guarded = train(poisoned, true, "poisoned-skipping");
        long skipped = guarded.alerts().stream().filter(a -> a.type() == AlertType.STEP_SKIPPED).count();
        Optional<GradientAlert> nonFinite = guarded.alerts().stream()
                .filter(a -> a.type() == AlertType.NON_FINITE).findFirst();
        Outcome o = new Outcome(finalLoss(cleanMonitor), finalLoss(unprotected), finalLoss(guarded), skipped,
                nonFinite);
        out.printf(Locale.ROOT, "MLP 20-64-64-4, Adam 1e-3, %d iterations; batches %s hold a NaN feature%n", iterations,
                poisonedBatches.stream().sorted().toList());
        out.printf(Locale.ROOT, "  %-36s final loss %.4f%n", "clean data", o.cleanLoss);
        out.printf(Locale.ROOT, "  %-36s final loss %.4f%n", "poisoned, no protection", o.unprotectedLoss);
        out.printf(Locale.ROOT, "  %-36s final loss %.4f (%d steps skipped)%n", "poisoned, skipNonFiniteSteps(true)",
                o.protectedLoss, o.skipped);
        return o;
    }


    static GradientMonitor train(List<DataSet> data, boolean skip, String label) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(1e-3))
                .weightInit(WeightInit.RELU).list()
                .layer(new DenseLayer.Builder().nIn(20).nOut(64).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(64).nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(64).nOut(4)
                        .activation(Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        GradientMonitor monitor = Monitors.builder(label).historySize(data.size()).logAlerts(false)
                .skipNonFiniteSteps(skip).build();
        net.addListeners(monitor);
        for (DataSet d : data) {
            net.fit(d);
        }
        return monitor;
    }

    static double finalLoss(GradientMonitor monitor) {
        List<GradientSnapshot> h = monitor.history();
        double sum = 0;
        for (GradientSnapshot s : h.subList(h.size() - 20, h.size())) {
            sum += s.score();
        }
        return sum / 20;
    }
}
