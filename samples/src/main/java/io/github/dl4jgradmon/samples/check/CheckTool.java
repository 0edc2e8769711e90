package io.github.dl4jgradmon.samples.check;

import io.github.dl4jgradmon.GradientMonitor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code check} tool: a pre-flight gradient health check of a DL4J configuration. It builds the network from its
 * JSON, trains it briefly on synthetic data shaped for it (or on a CSV) with a {@link GradientMonitor}, prints a
 * per-layer gradient table and the alerts with hints, and optionally writes a JSON report.
 *
 * <pre>
 * mvn -q -pl samples -am compile exec:java -Dexec.args="check --config model.json [--data train.csv
 *     [--label-column K]] [--iterations N] [--batch B] [--seed S] [--json report.json]"
 * </pre>
 *
 * <p>Exit codes: 0 healthy (no WARNING or CRITICAL alert), 1 problems found, 2 bad input (one line on stderr that
 * names the problem). Nothing machine-readable goes to stdout, where libnd4j prints its start-up lines: the JSON goes
 * to the {@code --json} file. In the JSON, NaN/Inf numbers are null and {@code layer} is {@code ""} for alerts about
 * the whole model. Defaults: 100 iterations, batch 32, seed 42, the last CSV column as label.
 */
public final class CheckTool {

    private CheckTool() {
    }

    /** Runs {@code check} with these arguments (without the word {@code check}); returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            CheckOptions o = CheckOptions.parse(args);
            o.json().ifPresent(CheckTool::checkWritable);
            CheckModel model = CheckModel.load(o.config());
            List<DataSet> data = o.data().isPresent()
                    ? CheckData.csv(o.data().get(), o.labelColumn().orElse(-1), model, o.batch())
                    : CheckData.synthetic(model, o.seed(), o.batch());
            out.println("check: " + o.config() + ": " + model.networkKind() + ", input " + model.input().describe()
                    + ", " + (o.data().isPresent() ? "data " + o.data().get() : "synthetic data") + ", "
                    + o.iterations() + " iterations, batch " + o.batch());
            GradientMonitor monitor = GradientMonitor.builder().logAlerts(false).historySize(o.iterations()).build();
            train(model.net(), monitor, data, o.iterations());
            CheckReport report = CheckReport.of(o.iterations(), monitor.history(), monitor.alerts());
            report.print(out);
            o.json().ifPresent(report::writeJson);
            return report.healthy() ? 0 : 1;
        } catch (BadInputException e) {
            err.println("check: " + e.getMessage());
            return 2;
        } catch (RuntimeException | LinkageError e) {
            err.println("check: failed: " + CheckModel.firstLine(e));
            return 2;
        }
    }

    private static void train(Object net, GradientMonitor monitor, List<DataSet> data, int iterations) {
        try {
            if (net instanceof MultiLayerNetwork m) {
                m.setListeners(monitor);
                for (int i = 0; i < iterations; i++) {
                    m.fit(data.get(i % data.size()));
                }
            } else {
                ComputationGraph g = (ComputationGraph) net;
                g.setListeners(monitor);
                for (int i = 0; i < iterations; i++) {
                    g.fit(data.get(i % data.size()));
                }
            }
        } catch (RuntimeException e) {
            throw new BadInputException("training failed, the data does not fit the model: "
                    + CheckModel.firstLine(e));
        }
    }

    private static void checkWritable(Path json) {
        Path dir = json.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new BadInputException("--json directory does not exist: " + dir);
        }
    }
}
