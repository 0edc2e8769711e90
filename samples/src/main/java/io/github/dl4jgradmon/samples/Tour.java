package io.github.dl4jgradmon.samples;

import io.github.dl4jgradmon.GradientMonitor;
import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.cli.SyntheticData;
import io.github.dl4jgradmon.clip.GradientClipping;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.ui.GradientReport;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.ui.api.UIServer;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The main job: every capability, briefly, on synthetic data (about 20 s after the build on an idle 2-core machine).
 * Each scenario trains with the monitor and posts to one stats file; at the end a summary table, a self-contained HTML
 * report, and the DL4J UI with the gradient page. Run from a terminal, the UI stays up until Enter (or Ctrl+C), so
 * the printed URL can be opened; without a terminal (CI, a pipe) the tour exits by itself. {@code --keep-ui} keeps
 * the UI up until the process is stopped, terminal or not.
 *
 * <p>Run: {@code mvn -q -pl samples -am compile exec:java} (the tour is the default command).
 */
public final class Tour {

    private Tour() {
    }

    record Row(String scenario, String detected, String iteration, String reaction) {
    }

    /** Where the tour decides whether to keep the UI up: a person at a terminal, or not (CI, tests, a pipe). */
    interface Terminal {

        /** True when someone can press Enter: stdin and stdout are a terminal. */
        boolean interactive();

        /** Blocks until Enter (or the end of input). */
        void awaitEnter() throws IOException;

        /** The process's own: {@code System.console() != null}, reading a line from stdin. */
        static Terminal system() {
            return new Terminal() {
                @Override
                public boolean interactive() {
                    return System.console() != null;
                }

                @Override
                public void awaitEnter() throws IOException {
                    new BufferedReader(new InputStreamReader(System.in,
                            StandardCharsets.UTF_8)).readLine();
                }
            };
        }
    }

    /** What the end of the tour did with the UI. */
    enum Ending { STOPPED_AT_ONCE, STOPPED_ON_ENTER, KEPT_UNTIL_KILLED }

    /**
     * The end of the tour: from a terminal, say so and keep the UI up until Enter; otherwise stop at once. With
     * {@code keepUi}, block until the process is stopped. {@code stop} runs in every case that returns.
     */
    static Ending finish(PrintStream out, Terminal terminal, boolean keepUi, String url, Runnable stop)
            throws IOException, InterruptedException {
        Ending ending;
        if (keepUi) {
            out.println("--keep-ui: the UI stays up at " + url + " until the process is stopped (Ctrl+C).");
            Thread.currentThread().join();
            ending = Ending.KEPT_UNTIL_KILLED;
        } else if (terminal.interactive()) {
            out.println("The UI stays up at " + url + " : press Enter (or Ctrl+C) to stop.");
            terminal.awaitEnter();
            ending = Ending.STOPPED_ON_ENTER;
        } else {
            out.println("Not run from a terminal: stopping the UI now (add --keep-ui to keep it up).");
            ending = Ending.STOPPED_AT_ONCE;
        }
        stop.run();
        return ending;
    }

    public static void main(String[] args) throws Exception {
        run(System.out, Terminal.system(), List.of(args).contains("--keep-ui"));
    }

    static void run(PrintStream out, Terminal terminal, boolean keepUi) throws Exception {
        long start = System.nanoTime();
        Path dir = Path.of("target", "tour");
        Files.createDirectories(dir);
        Path statsFile = dir.resolve("stats.bin");
        Files.deleteIfExists(statsFile);
        FileStatsStorage storage = new FileStatsStorage(statsFile.toFile());
        Monitors.postTo(storage);
        List<Row> rows = new ArrayList<>();

        step(out, 1, "vanishing gradients: a 10-layer sigmoid MLP, then the same with ReLU + He init");
        List<DataSet> data = SyntheticData.classification(42, 40, 32, 20, 4);
        GradientMonitor sigmoid = VanishingGradientsSample.train(Activation.SIGMOID, WeightInit.XAVIER, data);
        GradientMonitor relu = VanishingGradientsSample.train(Activation.RELU, WeightInit.RELU, data);
        Optional<GradientAlert> vanishing = first(sigmoid, AlertType.VANISHING);
        rows.add(new Row("deep sigmoid MLP", describe(vanishing), iteration(vanishing),
                String.format(Locale.ROOT, "ReLU+He: first/last layer norm ratio %.1e -> %.2f", ratio(sigmoid), ratio(relu))));

        step(out, 2, "exploding gradients: a ReLU RNN at a too-high learning rate, then clipped");
        Map<String, GradientClipping> strategies = new LinkedHashMap<>();
        strategies.put("no clipping", null);
        strategies.put("globalNorm(1.0)", GradientClipping.globalNorm(1.0));
        strategies.put("zClip(cap 5)", GradientClipping.zClip(0.97, 2.5, 25, 5.0));
        List<ExplodingGradientsSample.Outcome> exploding = ExplodingGradientsSample.run(out, strategies, 50);
        ExplodingGradientsSample.Outcome none = exploding.get(0);
        rows.add(new Row("exploding RNN", (none.firstExplodingAlert() < 0 ? "no EXPLODING alert" : "EXPLODING")
                + (none.firstNonFinite() >= 0 ? ", NaN at iteration " + none.firstNonFinite() : ""),
                none.firstExplodingAlert() < 0 ? "-" : String.valueOf(none.firstExplodingAlert()),
                String.format(Locale.ROOT, "loss %.3g unclipped; %.3g with globalNorm(1.0), %.3g with zClip (from %.3g)",
                        none.finalLoss(), exploding.get(1).finalLoss(), exploding.get(2).finalLoss(),
                        none.firstLoss())));

        step(out, 3, "a poisoned batch: NaN in the data, skipped");
        PoisonedBatchSample.Outcome poisoned = PoisonedBatchSample.run(out, 100, Set.of(20, 60));
        rows.add(new Row("NaN in 2 batches", poisoned.firstNonFinite().map(a -> a.type() + ", ").orElse("")
                + poisoned.skipped() + " steps skipped", iteration(poisoned.firstNonFinite()),
                String.format(Locale.ROOT, "loss %.4f vs %.4f clean (%.3g without skipping)", poisoned.protectedLoss(),
                        poisoned.cleanLoss(), poisoned.unprotectedLoss())));

        step(out, 4, "dying ReLU: hidden units dead from the start");
        DyingReluSample.Outcome dying = DyingReluSample.run(out);
        rows.add(new Row("dead ReLU units", describe(dying.reluAlert()), iteration(dying.reluAlert()),
                "LeakyReLU twin: " + (dying.leakyAlerted() ? "still alerted" : "no DEAD_UNITS alert")));

        step(out, 5, "a residual ComputationGraph and a ParallelWrapper run");
        GraphAndParallelSample.Outcome gp = GraphAndParallelSample.run(out);
        rows.add(new Row("residual graph (healthy)", warnings(gp.graph()) == 0 ? "no warnings" : warnings(gp.graph())
                + " warnings", "-", gp.graph().history().get(0).layers().size() + " layers by vertex name"));
        rows.add(new Row("ParallelWrapper, 2 workers", "per-worker statistics", "-", "workers "
                + gp.parallel().workers()
                + ", " + gp.parallel().history().size() + " snapshots"));

        Monitors.postTo(null);
        Path report = dir.resolve("report.html");
        GradientReport.writeHtml(storage, report);
        step(out, 6, "the dashboard: DL4J UI with the gradient page, and an HTML report");
        UIServer ui = startUi();
        ui.attach(storage);

        out.println();
        out.println("Summary");
        out.printf(Locale.ROOT, "  %-28s %-38s %-10s %s%n", "scenario", "detected", "iteration", "reaction / outcome");
        for (Row r : rows) {
            out.printf(Locale.ROOT, "  %-28s %-38s %-10s %s%n", r.scenario, r.detected, r.iteration, r.reaction);
        }
        out.println();
        out.println("HTML report:  " + report.toAbsolutePath());
        out.println("Stats file:   " + statsFile.toAbsolutePath()
                + "  (replay: gradmon report --in <file> --out r.html)");
        out.println("Gradient page: http://localhost:" + ui.getPort() + "/gradmon   (DL4J UI: /train/overview)");
        out.println("  a scenario directly, e.g. http://localhost:" + ui.getPort()
                + "/gradmon?session=04-exploding-globalNorm-1.0-&worker=0 (sessions are named after the scenarios)");
        out.printf(Locale.ROOT, "Tour done in %.0f s.%n", (System.nanoTime() - start) / 1e9);
        finish(out, terminal, keepUi, "http://localhost:" + ui.getPort() + "/gradmon", () -> {
            try {
                ui.stop();
                storage.close();
            } catch (Exception e) {
                out.println("warning: stopping the UI or closing " + statsFile + " failed (" + e.getMessage() + ")");
            }
        });
        System.exit(0); // the UI server's and ND4J's non-daemon threads would keep the JVM alive
    }

    private static UIServer startUi() {
        if (System.getProperty("org.deeplearning4j.ui.port") != null) {
            return UIServer.getInstance();
        }
        return DashboardSample.start();
    }

    private static void step(PrintStream out, int n, String what) {
        out.println();
        out.println("[" + n + "/6] " + what);
    }

    private static Optional<GradientAlert> first(GradientMonitor m, AlertType type) {
        return m.alerts().stream().filter(a -> a.type() == type).findFirst();
    }

    private static String describe(Optional<GradientAlert> a) {
        return a.map(x -> x.type() + " on " + x.layer() + (x.param().map(p -> " (" + p + ")").orElse("")))
                .orElse("nothing");
    }

    private static String iteration(Optional<GradientAlert> a) {
        return a.map(x -> String.valueOf(x.iteration())).orElse("-");
    }

    private static long warnings(GradientMonitor m) {
        return m.alerts().stream().filter(a -> a.severity().isAtLeast(Severity.WARNING))
                .count();
    }

    private static double ratio(GradientMonitor m) {
        GradientSnapshot s = m.latest().orElseThrow();
        return s.layers().get(0).gradientNorm() / s.layers().get(s.layers().size() - 1).gradientNorm();
    }

}
