package io.github.dl4jgradmon.bench;

import io.github.dl4jgradmon.GradientMonitor;
import io.github.dl4jgradmon.detect.DetectorSession;
import io.github.dl4jgradmon.detect.DetectorSuite;
import io.github.dl4jgradmon.internal.model.ModelAdapter;
import io.github.dl4jgradmon.internal.stats.FlatBuffer;
import io.github.dl4jgradmon.internal.stats.LayoutScanner;
import io.github.dl4jgradmon.internal.stats.SnapshotAssembler;
import io.github.dl4jgradmon.internal.stats.StepHeader;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.Reaction;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

import java.util.Locale;

/**
 * Where the monitor's callback time goes, per iteration, right after real DL4J training steps (caches as training
 * leaves them). A probe listener repeats the monitor's steps with the same public classes and times each: wrapping
 * the flat buffers, the fused gradient + parameter pass ({@code onGradientCalculation}), the update pass, snapshot
 * assembly and the detectors ({@code iterationDone}). The monitor itself, timed per callback, is run after it for
 * comparison. Medians over iterations.
 *
 * <p>Run: {@code mvn -q -pl benchmarks -am compile exec:exec -Dexec.executable=java
 * -Dexec.args="-cp %classpath io.github.dl4jgradmon.bench.CallbackProfile mlp 300"} (workloads: mlp, cnn, lstm,
 * vgg16; iterations). Add {@code --add-modules jdk.incubator.vector} before {@code -cp} for the Vector API kernels.
 */
public final class CallbackProfile {

    private CallbackProfile() {
    }

    /** Repeats the monitor's per-iteration work, timing each part (nanoseconds per iteration, one row per iteration). */
    static final boolean REPEAT = Boolean.getBoolean("repeat");

    static final class Probe extends BaseTrainingListener {
        final long[][] nanos;
        final DetectorSession detection = DetectorSuite.defaults().newSession("0");
        ModelAdapter adapter;
        LayoutScanner scanner;
        int row = -1;
        long timing;

        Probe(int rows) {
            nanos = new long[rows][6];
        }

        @Override
        public void onGradientCalculation(Model model) {
            if (adapter == null) {
                adapter = ModelAdapter.of(model).orElseThrow();
                scanner = new LayoutScanner(adapter.layout());
            }
            row++;
            long t0 = System.nanoTime();
            FlatBuffer g = FlatBuffer.of(adapter.gradients());
            FlatBuffer p = FlatBuffer.of(adapter.params());
            long t1 = System.nanoTime();
            scanner.scanGradients(g, p, 1);
            long t2 = System.nanoTime();
            if (REPEAT) {
                scanner.scanGradients(g, p, 1);
            }
            long t3 = System.nanoTime();
            if (row < nanos.length) {
                nanos[row][0] = t1 - t0;
                nanos[row][1] = t2 - t1;
                nanos[row][5] = t3 - t2;
            }
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            long t0 = System.nanoTime();
            scanner.scanUpdates(FlatBuffer.of(adapter.gradients()), 1);
            long t1 = System.nanoTime();
            int batch = adapter.batchSize();
            GradientSnapshot s = SnapshotAssembler.assemble(scanner, new StepHeader("0", iteration, epoch,
                    adapter.score(), batch, batch, System.currentTimeMillis()), true, Reaction.NONE, null);
            long t2 = System.nanoTime();
            timing += detection.inspect(s).size();
            long t3 = System.nanoTime();
            if (row < nanos.length) {
                nanos[row][2] = t1 - t0;
                nanos[row][3] = t2 - t1;
                nanos[row][4] = t3 - t2;
            }
        }
    }

    public static void main(String[] args) {
        String key = args.length > 0 ? args[0] : "mlp";
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        Workloads.Workload w = Workloads.of(key);
        System.out.printf(Locale.ROOT, "%s, %,d parameters; %s; %d iterations, medians per iteration%n",
                w.description(), w.parameters(), Environment.kernels(), iterations);
        for (int i = 0; i < 20; i++) {
            w.step();
        }
        Probe probe = new Probe(iterations);
        w.listen(probe);
        for (int i = 0; i < iterations; i++) {
            w.step();
        }
        String[] parts = {"wrap the flat buffers (FlatBuffer.of x2)", "fused gradient + parameter pass",
                "update pass (iterationDone)", "snapshot assembly", "detectors (defaults)",
                "(the fused pass once more, straight after: caches warm)"};
        double total = 0;
        System.out.println("| part | ms/iteration (median) | ns/parameter |");
        System.out.println("|---|---:|---:|");
        for (int c = 0; c < parts.length; c++) {
            double[] v = new double[iterations];
            for (int r = 0; r < iterations; r++) {
                v[r] = probe.nanos[r][c] / 1e6;
            }
            double m = Stats.median(v);
            if (c == 5 && !REPEAT) {
                continue;
            }
            total += c == 5 ? 0 : m;
            System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f |%n", parts[c], m, m * 1e6 / w.parameters());
        }
        System.out.printf(Locale.ROOT, "| sum of the parts | %.3f | %.3f |%n", total, total * 1e6 / w.parameters());

        CallbackTimer timer = new CallbackTimer(GradientMonitor.builder().logAlerts(false).build());
        w.listen(timer);
        for (int i = 0; i < 20; i++) {
            w.step();
        }
        double[][] per = new double[4][iterations];
        double[] sum = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            timer.reset();
            w.step();
            double[] ms = timer.millisPerIterationByCallback();
            for (int c = 0; c < 4; c++) {
                per[c][i] = ms[c];
                sum[i] += ms[c];
            }
        }
        System.out.printf(Locale.ROOT, "| GradientMonitor (defaults), whole: onForwardPass %.3f + "
                        + "onGradientCalculation %.3f + iterationDone %.3f | %.3f | %.3f |%n",
                Stats.median(per[0]), Stats.median(per[1]), Stats.median(per[2]), Stats.median(sum),
                Stats.median(sum) * 1e6 / w.parameters());
        System.out.println("(detector alerts seen by the probe: " + probe.timing + ")");
    }
}
