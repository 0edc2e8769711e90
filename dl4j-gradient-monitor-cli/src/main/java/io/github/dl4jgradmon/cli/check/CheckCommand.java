package io.github.dl4jgradmon.cli.check;

import io.github.dl4jgradmon.GradientMonitor;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.cli.check.CheckData.Normalize;
import io.github.dl4jgradmon.cli.check.CheckModel.OutputSpec;
import io.github.dl4jgradmon.cli.check.Fixes.Fix;
import io.github.dl4jgradmon.cli.check.Lint.Finding;
import io.github.dl4jgradmon.internal.util.Text;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.CrashReportingUtil;
import org.nd4j.linalg.dataset.MultiDataSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/** The {@code check} command line (picocli); {@link CheckTool} runs it. */
@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "A pre-flight gradient health check of a DL4J model: a static lint of the configuration (milliseconds), "
                    + "then a short training run with a GradientMonitor on synthetic data shaped for the model or on "
                    + "your data, a per-layer gradient table, the alerts with hints, and a verdict.",
            "Nothing machine-readable goes to stdout (libnd4j prints there); use --json."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:healthy: every trainable layer measured, no WARNING or CRITICAL alert, no CRITICAL lint finding",
            "1:problems found (alerts, a CRITICAL lint finding; with --lint-only: any WARNING finding)",
            "2:bad input: one line on stderr naming the file, line, column or option, or the limit exceeded "
                    + "(layers, parameters, memory at --batch/--time-steps, CSV line length), checked before any "
                    + "network is built",
            "3:could not measure (no snapshot, a contained monitor fault, an unmeasured layer, out of memory)"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  gradmon check --model examples/deep-sigmoid.json --try-fixes",
            "  gradmon check --model lenet.zip --input-shape 28,28,1 --data mnist-png/ --normalize minmax",
            "  gradmon check --model lstm.json --data sequences/ --time-steps 50",
            "  gradmon check --model two-inputs.json --input-shape image=32,32,3 --input-shape meta=8"})
final class CheckCommand implements Callable<Integer> {

    static final int MAX_ITERATIONS = 100_000;
    static final int MAX_BATCH = 100_000;
    static final int MAX_STEPS = 100_000;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE",
            description = "Required. A MultiLayerConfiguration or ComputationGraphConfiguration JSON (toJson()), or "
                    + "a model zip saved by ModelSerializer / net.save(...): its trained weights and updater state "
                    + "are kept. --config is another name for it.")
    Path model;

    @Option(names = "--config", paramLabel = "FILE", hidden = true, description = "The former name of --model.")
    Path config;

    @Option(names = "--input-shape", paramLabel = "[NAME=]H,W,C|N", converter = ShapeConverter.class,
            description = "The input shape when the JSON does not keep it: H,W,C for images (DL4J keeps no height "
                    + "and width for InputType.convolutional), N values per example (or per time step). Repeat "
                    + "with NAME= for each input of a multi-input graph.")
    List<ShapeOption> inputShapes = new ArrayList<>();

    @Option(names = "--time-steps", paramLabel = "N", defaultValue = "" + CheckModel.DEFAULT_STEPS,
            description = "Sequence length of synthetic recurrent inputs (default: ${DEFAULT-VALUE}; at most "
                    + MAX_STEPS + ").")
    int timeSteps;

    @Option(names = "--data", paramLabel = "PATH",
            description = "Train on real data read with DataVec: a CSV file (one example per line), a folder of "
                    + "CSV files (one sequence per file, one step per line), or a folder with one sub-folder of "
                    + "images per class. Without it: synthetic data shaped for the model.")
    Path data;

    @Option(names = "--data-kind", paramLabel = "KIND",
            description = "How to read --data when guessing is wrong: ${COMPLETION-CANDIDATES} (default: a file is "
                    + "CSV; a folder with sub-folders is images; a folder of files is sequences).")
    CheckData.Kind dataKind;

    @Option(names = "--skip-lines", paramLabel = "N", defaultValue = "0",
            description = "Header lines to skip in each CSV file (default: ${DEFAULT-VALUE}: a first line of text "
                    + "cells followed by a line of numbers is recognized as a header and skipped).")
    int skipLines;

    @Option(names = "--label-column", paramLabel = "K",
            description = "Zero-based CSV column of the label (the first of nOut columns for regression); "
                    + "default: the last column(s).")
    Integer labelColumn;

    @Option(names = "--normalize", paramLabel = "HOW", defaultValue = "none",
            description = "Normalize --data features with ND4J's normalizers: ${COMPLETION-CANDIDATES} (minmax on "
                    + "images scales pixels to 0..1; default: ${DEFAULT-VALUE}).")
    Normalize normalize;

    @Option(names = "--no-shuffle", description = "Train on the examples of a --data CSV file in file order. By "
            + "default they are reshuffled every epoch with --seed, as DL4J's examples do: a file sorted by class "
            + "would give minibatches of one class each. Use it for time-ordered rows.")
    boolean noShuffle;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "100",
            description = "Training iterations (default: ${DEFAULT-VALUE}; at most " + MAX_ITERATIONS + ").")
    int iterations;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "32",
            description = "Minibatch size (default: ${DEFAULT-VALUE}); bounded by the JVM's heap.")
    int batch;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42",
            description = "Seed of the synthetic data, the image order and the CSV examples' shuffling (default: "
                    + "${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--lint-only", description = "Run the static lint (and the data lint with --data) only; no "
            + "training.")
    boolean lintOnly;

    @Option(names = "--try-fixes", description = "Apply each fix that the findings call for to a copy of the "
            + "configuration (relu-he, batchnorm, lr-x0.1, clip-global-norm, leaky-relu), run the same check on "
            + "each, and print a table.")
    boolean tryFixes;

    @Option(names = "--write-fixed", paramLabel = "FILE",
            description = "With --try-fixes: write the best fix's configuration JSON here.")
    Path writeFixed;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the report as JSON here.")
    Path json;

    PrintStream out = System.out;
    PrintStream err = System.err;
    /** Additions to every run's monitor; tests inject a fault here. */
    UnaryOperator<GradientMonitor.Builder> monitorTweak = b -> b;

    /** What the command found, for the JSON and for tests. */
    record Outcome(CheckModel model, List<Finding> lint, Optional<CheckReport> report, List<FixResult> fixes) {
    }

    /** One fix tried: the fix, its configuration and its run. */
    record FixResult(Fix fix, CheckModel model, CheckReport report) {
    }

    @Override
    public Integer call() {
        validate();
        // DL4J writes a memory crash dump into the working directory on an out-of-memory error; a check must not
        // leave files the user did not ask for: the one line below says what happened and what to do
        boolean dumps = CrashReportingUtil.isCrashDumpsEnabled();
        CrashReportingUtil.crashDumpsEnabled(false);
        try {
            return run();
        } catch (BadInputException e) {
            err.println("check: " + e.getMessage());
            return 2;
        } catch (OutOfMemoryError e) {
            err.println("check: could not measure: out of memory (" + e.getMessage() + ") with --batch " + batch
                    + "; lower --batch or give the JVM more heap (-Xmx)");
            return 3;
        } finally {
            CrashReportingUtil.crashDumpsEnabled(dumps);
        }
    }

    private void validate() {
        if (model != null && config != null) {
            throw new ParameterException(spec.commandLine(), "give --model or --config (the same option), not both");
        }
        model = model != null ? model : config;
        if (model == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--model=FILE'");
        }
        range("--iterations", iterations, 1, MAX_ITERATIONS);
        range("--batch", batch, 1, MAX_BATCH);
        range("--time-steps", timeSteps, 1, MAX_STEPS);
        range("--skip-lines", skipLines, 0, 1_000_000);
        if (labelColumn != null) {
            range("--label-column", labelColumn, 0, 1_000_000);
        }
        if (data == null) {
            for (String o : new String[] {"--data-kind", "--skip-lines", "--label-column", "--normalize"}) {
                if (spec.commandLine().getParseResult().hasMatchedOption(o)) {
                    throw new ParameterException(spec.commandLine(), o + " needs --data");
                }
            }
        }
        if (writeFixed != null && !tryFixes) {
            throw new ParameterException(spec.commandLine(), "--write-fixed needs --try-fixes");
        }
        if (lintOnly && tryFixes) {
            throw new ParameterException(spec.commandLine(), "--lint-only and --try-fixes exclude each other");
        }
    }

    private void range(String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw new ParameterException(spec.commandLine(), option + " must be in [" + min + ", " + max
                    + "] (got: " + value + ")");
        }
    }

    private int run() {
        if (json != null) {
            checkWritable("--json", json);
        }
        if (writeFixed != null) {
            checkWritable("--write-fixed", writeFixed);
        }
        CheckModel m = CheckModel.load(model, inputShapes, timeSteps, this::admit);
        long lintStart = System.nanoTime();
        List<Finding> lint = new ArrayList<>(Lint.configuration(m.configuration()));
        long lintNanos = System.nanoTime() - lintStart;
        List<MultiDataSet> batches = lintOnly && data == null ? List.of() : loadData(m);
        if (data != null) {
            long t = System.nanoTime();
            lint.addAll(Lint.data(batches, m.inputs().get(0), m.outputs().get(0)));
            lintNanos += System.nanoTime() - t;
        }
        out.println("check: " + model + ": " + m.networkKind() + (m.savedModel().isPresent()
                ? " (saved model: trained weights and updater state kept)" : ""));
        for (InputSpec in : m.inputs()) {
            out.println("  input  " + in.name() + ": " + in.describe());
        }
        for (OutputSpec o : m.outputs()) {
            out.println("  output " + o.name() + ": " + o.layerType() + ", " + o.nOut() + " values in "
                    + o.range().text);
        }
        boolean shuffled = data != null && !lintOnly && !noShuffle && !batches.isEmpty()
                && (dataKind != null ? dataKind : CheckData.detect(data)) == CheckData.Kind.CSV;
        Optional<String> header = data != null && skipLines == 0
                && (dataKind != null ? dataKind : CheckData.detect(data)) == CheckData.Kind.CSV
                ? CheckData.csvHeader(data) : Optional.empty();
        String source = data == null ? "synthetic data" : "data " + data + header.map(h -> ", first line read as a "
                + "header and skipped (" + (h.length() <= 60 ? h : h.substring(0, 57) + "...") + ")").orElse("")
                + (normalize == Normalize.NONE ? ""
                : ", normalized (" + normalize.name().toLowerCase(Locale.ROOT) + ")") + (lintOnly ? ""
                : shuffled ? ", examples reshuffled every epoch (seed " + seed + "; --no-shuffle keeps file order)"
                : noShuffle ? ", in file order (--no-shuffle)" : "");
        out.println("  " + (lintOnly ? "lint only" + (data == null ? "" : ", " + source)
                : source + ", " + iterations + " iterations, batch " + batch));
        out.println();
        printLint(lint, lintNanos);
        if (lintOnly) {
            writeJson(new Outcome(m, lint, Optional.empty(), List.of()));
            return lint.stream().anyMatch(f -> f.severity().isAtLeast(Severity.WARNING)) ? 1 : 0;
        }
        List<MultiDataSet> training = shuffled ? new EpochShuffle(batches, batch, seed, iterations) : batches;
        CheckReport report = CheckRun.train(m.originalNet(), training, iterations, Optional.empty(), monitorTweak);
        report.print(out);
        List<FixResult> fixes = tryFixes ? tryFixes(m, lint, report, training) : List.of();
        writeJson(new Outcome(m, lint, Optional.of(report), fixes));
        if (report.verdict() == CheckReport.Verdict.NOT_MEASURED) {
            err.println("check: could not measure: " + report.notMeasured().orElseThrow());
            return 3;
        }
        boolean critical = lint.stream().anyMatch(f -> f.severity() == Severity.CRITICAL);
        return report.verdict() == CheckReport.Verdict.HEALTHY && !critical ? 0 : 1;
    }

    /**
     * Refuses, before any network is built or run, what cannot fit in this JVM's heap: the parameters with their
     * gradients and updater state, the examples to hold, and one training step (DL4J's memory report) at this
     * {@code --batch} and {@code --time-steps}.
     */
    private void admit(CheckModel unbuilt) {
        long heap = Runtime.getRuntime().maxMemory();
        CheckBudget.checkParameters(model, CheckBudget.parameters(unbuilt.configuration()), heap);
        checkExamples(unbuilt, heap);
        CheckBudget.checkTraining(CheckBudget.trainingBytes(unbuilt.configuration(), unbuilt.inputs(), batch), batch,
                unbuilt.inputs(), heap);
    }

    /** The bytes of one example's inputs and (once known) labels, as floats. */
    private long bytesPerExample(CheckModel m) {
        long perExample = 0;
        for (InputSpec in : m.inputs()) {
            perExample += in.valuesPerExample() * Float.BYTES;
        }
        for (OutputSpec o : m.outputs()) {
            long values = 1;
            for (int d = 1; d < o.rank(); d++) {
                values *= o.shape()[d] > 0 ? o.shape()[d] : timeSteps;
            }
            perExample += values * Float.BYTES;
        }
        return perExample;
    }

    /** Refuses examples (synthetic batches, or one batch of --data) that take more than a quarter of the heap. */
    private long checkExamples(CheckModel m, long heap) {
        long perExample = bytesPerExample(m);
        long budget = heap / 4;
        long batches = data == null ? CheckData.SYNTHETIC_BATCHES : 1;
        double need = (double) perExample * batch * batches;
        if (need > budget) {
            throw new BadInputException(String.format(Locale.ROOT, "%s needs about %s for %s of %d bytes "
                    + "per example, more than a quarter of this JVM's heap (%s, -Xmx); lower %s",
                    CheckBudget.options(batch, m.inputs()), bytes(need), data == null
                            ? CheckData.SYNTHETIC_BATCHES + " synthetic batches" : "one batch",
                    perExample, bytes(heap), CheckBudget.lower(m.inputs())));
        }
        return perExample;
    }

    private List<MultiDataSet> loadData(CheckModel m) {
        long heap = Runtime.getRuntime().maxMemory();
        long perExample = checkExamples(m, heap);
        long budget = heap / 4;
        CheckBudget.checkTraining(CheckBudget.trainingBytes(m.configuration(), m.inputs(), batch), batch, m.inputs(),
                heap);
        if (data == null) {
            return CheckData.synthetic(m, seed, batch);
        }
        long maxExamples = Math.max(batch, Math.min((long) iterations * batch, budget / Math.max(1, perExample)));
        CheckData.Kind kind = dataKind != null ? dataKind : CheckData.detect(data);
        List<MultiDataSet> b = CheckData.read(new CheckData.Source(data, kind, skipLines,
                labelColumn == null ? -1 : labelColumn, batch, maxExamples, seed), m);
        CheckData.normalize(b, normalize, kind == CheckData.Kind.IMAGES);
        return b;
    }

    private static String bytes(double b) {
        return CheckBudget.bytes(b);
    }

    private void printLint(List<Finding> lint, long nanos) {
        out.printf(Locale.ROOT, "lint (%.0f ms, no training): %s%n", nanos / 1e6, lint.isEmpty() ? "no findings"
                : lint.size() + " finding" + (lint.size() == 1 ? "" : "s"));
        for (Finding f : lint) {
            out.printf(Locale.ROOT, "  %-8s %-18s %s%n", f.severity(), f.rule(), f.where());
            out.println("      " + f.message());
            out.println("      fix: " + f.fix());
        }
        out.println();
    }

    private List<FixResult> tryFixes(CheckModel m, List<Finding> lint, CheckReport baseline,
                                     List<MultiDataSet> batches) {
        Set<String> rules = lint.stream().filter(f -> f.severity().isAtLeast(Severity.WARNING)).map(Finding::rule)
                .collect(Collectors.toSet());
        List<Fix> fixes = Fixes.applicable(m.configuration(), rules, baseline.alertTypes());
        out.println();
        if (fixes.isEmpty()) {
            out.println("try-fixes: no fix applies (the lint and the run found nothing a fix addresses)");
            return List.of();
        }
        out.println("try-fixes: " + fixes.size() + " fix" + (fixes.size() == 1 ? "" : "es") + ", each on a copy of "
                + "the configuration, the same data and " + iterations + " iterations"
                + (m.savedModel().isPresent() ? " (trained weights kept where the fix leaves them valid)" : ""));
        List<FixResult> results = new ArrayList<>();
        for (Fix fix : fixes) {
            CheckModel fixed = m.withConfiguration(fix.transform().apply(m.configuration()));
            Model net;
            try {
                net = fixed.newNet(fix.keepsWeights());
            } catch (RuntimeException e) {
                out.println("  " + fix.id() + ": the fixed configuration does not build (" + CheckModel.firstLine(e)
                        + "); skipped");
                continue;
            }
            CheckReport fixedReport = CheckRun.train(net, batches, iterations, fix.clipping(), monitorTweak);
            results.add(new FixResult(fix, fixed, fixedReport));
        }
        out.println();
        out.printf(Locale.ROOT, "  %-18s %-13s %12s %16s %12s%n", "fix", "verdict", "final loss", "first/last grad",
                "alerts left");
        row("(none)", baseline);
        for (FixResult r : results) {
            row(r.fix().id(), r.report());
        }
        Optional<FixResult> best = best(results);
        best.ifPresent(b -> out.println("  best: " + b.fix().id() + " (" + b.fix().description() + ")"));
        if (writeFixed != null) {
            if (best.isEmpty()) {
                out.println("  --write-fixed: nothing written, no fix ran");
            } else {
                writeFixed(best.get());
            }
        }
        return results;
    }

    private void row(String name, CheckReport r) {
        out.printf(Locale.ROOT, "  %-18s %-13s %12s %16s %12d%n", name, r.verdict().name().replace('_', ' '),
                Text.significant(r.finalLoss()), Text.num(r.firstLastRatio()), r.problems());
    }

    /** HEALTHY first, then the fewest alerts, then the lowest final loss. */
    static Optional<FixResult> best(List<FixResult> results) {
        return results.stream().min(Comparator
                .comparing((FixResult r) -> r.report().verdict() != CheckReport.Verdict.HEALTHY)
                .thenComparingLong(r -> r.report().problems())
                .thenComparingDouble(r -> Double.isFinite(r.report().finalLoss()) ? r.report().finalLoss()
                        : Double.MAX_VALUE));
    }

    private void writeFixed(FixResult best) {
        try {
            Files.writeString(writeFixed, best.model().toJson());
        } catch (IOException e) {
            throw new BadInputException("--write-fixed cannot be written: " + writeFixed + " (" + e.getMessage()
                    + ")");
        }
        out.println("  wrote " + writeFixed + " (" + best.fix().id() + ")");
        if (best.fix().clipping().isPresent()) {
            out.println("  note: DL4J's configuration has no global-norm clipping; the file is the configuration as "
                    + "given. Add .clipping(GradientClipping.globalNorm(" + Fixes.CLIP_NORM + ")) to your "
                    + "GradientMonitor.builder()");
        }
    }

    private void writeJson(Outcome o) {
        if (json != null) {
            CheckJson.write(json, o);
        }
    }

    private static void checkWritable(String option, Path file) {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new BadInputException(option + " directory does not exist: " + dir);
        }
    }

    /** picocli converter of {@code --input-shape}; its message names the option and the value. */
    static final class ShapeConverter implements picocli.CommandLine.ITypeConverter<ShapeOption> {
        @Override
        public ShapeOption convert(String value) {
            try {
                return ShapeOption.parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
