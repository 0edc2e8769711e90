package io.github.dl4jgradmon.bench;

import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.detect.Detector;
import io.github.dl4jgradmon.detect.DetectorSuite;
import io.github.dl4jgradmon.internal.util.Text;
import io.github.dl4jgradmon.suite.CaseResult;
import io.github.dl4jgradmon.suite.CaseRunner;
import io.github.dl4jgradmon.suite.Corpus;
import io.github.dl4jgradmon.suite.LabeledCase;
import io.github.dl4jgradmon.suite.LabeledCases;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs the labeled detection suite with the default detectors and writes Markdown: per alert type recall,
 * precision, detection latency and false alarms per 1,000 healthy iterations, then one row per case.
 *
 * <p>Counting, per alert type T (alerts at WARNING or above; INFO alerts are listed but never count): a problem case
 * labeled T that raised T is detected, one that did not is a miss; ANY case that raised T without being labeled T
 * (a healthy model, or a problem labeled with another type) is a false positive of T. There is no list of
 * excused consequences: a problem case that also raises a second type costs that type precision. Latency is the
 * first alert's iteration minus the problem's onset (the first non-finite gradient for NON_FINITE). False alarms per
 * 1,000 healthy iterations count the WARNING/CRITICAL alerts the monitor passed on (onsets and repeats) over every
 * healthy model's iterations.
 *
 * <p>Run (from the repository root), the fast set (the cases CI runs, about 20 s of training):
 * <pre>
 * mvn -q -pl benchmarks -am compile exec:java -Dexec.mainClass=io.github.dl4jgradmon.bench.DetectionSuiteReport
 * </pre>
 * the whole corpus (about 30-50 minutes on 2 shared cores), one row per case appended to {@code --out} as it
 * finishes and every WARNING/CRITICAL alert on a case not labeled with its type to {@code --alerts}:
 * <pre>
 * nice -n 10 mvn -q -pl benchmarks -am compile exec:java -Dexec.mainClass=io.github.dl4jgradmon.bench.DetectionSuiteReport \
 *     -Dexec.args="--corpus --out target/corpus-rows.md --alerts target/corpus-alerts.tsv --report target/corpus-report.md"
 * </pre>
 * {@code --only name,name} runs the named cases alone; {@code --budget s} replaces the wall-clock budget of the runs
 * that stop once their loss is flat (the zoo models: 120 s by default); {@code --parallel n} trains n cases at a time (each on its own
 * thread with single-threaded ND4J ops; the per-case times then include the contention). The Markdown report goes to stdout (after libnd4j's start-up
 * lines) and to {@code --report} if given.
 */
public final class DetectionSuiteReport {

    private static final String ROW_HEADER = "| case | net | label | iterations (stop) | loss start -> end "
            + "(chance) | held-out acc | INFO / WARN / CRIT | raised (WARNING+) | INFO only | label's first alert "
            + "(latency) | result | s |";
    private static final String ROW_RULE = "|---|---|---|---|---|---:|---|---|---|---|---|---:|";

    private DetectionSuiteReport() {
    }

    public static void main(String[] args) {
        Options o = Options.parse(args);
        CaseRunner.useOneNd4jThread();
        List<LabeledCase> cases = o.corpus ? Corpus.all() : LabeledCases.all();
        if (!o.only.isEmpty()) {
            List<LabeledCase> all = new ArrayList<>(LabeledCases.all());
            for (LabeledCase c : Corpus.all()) {
                if (all.stream().noneMatch(x -> x.name().equals(c.name()))) {
                    all.add(c);
                }
            }
            cases = all.stream().filter(c -> o.only.contains(c.name())).toList();
            if (cases.size() != o.only.size()) {
                System.err.println("--only names a case that does not exist; known: "
                        + all.stream().map(LabeledCase::name).collect(Collectors.joining(", ")));
                System.exit(2);
            }
        }
        if (o.budget > 0) {
            cases = cases.stream().map(c -> c.withBudget(o.budget)).toList();
        }
        append(o.out, ROW_HEADER + "\n" + ROW_RULE + "\n");
        append(o.alerts, "case\tlabel\ttype\tseverity\tlayer\tlayers\tparam\titeration\tvalue\tthreshold\tmessage\n");
        // cases run on o.parallel threads (each trains its own model; ND4J ops stay single-threaded); rows are
        // appended as cases finish, the report keeps the catalogue's order
        CaseResult[] done = new CaseResult[cases.size()];
        ExecutorService pool = Executors.newFixedThreadPool(o.parallel);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            int index = i;
            LabeledCase c = cases.get(i);
            futures.add(pool.submit(() -> {
                CaseRunner.useOneNd4jThread();
                try {
                    CaseResult r = CaseRunner.run(c);
                    done[index] = r;
                    record(o, r);
                } catch (RuntimeException | OutOfMemoryError e) {
                    append(o.out, "| " + c.name() + " | " + c.networkKind() + " | FAILED TO RUN: "
                            + e.getClass().getSimpleName() + ": " + e.getMessage() + " |\n");
                    System.err.println(c.name() + " failed to run: " + e);
                }
            }));
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        pool.shutdown();
        List<CaseResult> results = new ArrayList<>();
        for (CaseResult r : done) {
            if (r != null) {
                results.add(r);
            }
        }
        StringBuilder md = new StringBuilder();
        PrintStream out = System.out;
        print(md, results);
        out.print(md);
        out.flush();
        if (o.report != null) {
            write(o.report, md.toString());
        }
    }

    private static synchronized void record(Options o, CaseResult r) {
        LabeledCase c = r.labeledCase();
        append(o.out, row(r) + "\n");
        StringBuilder details = new StringBuilder();
        for (GradientAlert a : r.alerts()) {
            if (a.severity().isAtLeast(Severity.WARNING) && !c.labeled(a.type().name())) {
                details.append(String.join("\t", c.name(), c.label().orElse("-"), a.type().name(),
                        a.severity().name(), a.layerLabel(), Integer.toString(a.layers().size()),
                        a.param().orElse("-"), Long.toString(a.iteration()), Text.num(a.value()), Text.num(a.threshold()),
                        a.message().replace('\t', ' '))).append('\n');
            }
        }
        append(o.alerts, details.toString());
    }

    static void print(StringBuilder out, List<CaseResult> results) {
        List<CaseResult> healthy = results.stream().filter(r -> r.labeledCase().healthy()).toList();
        long healthyIterations = healthy.stream().mapToLong(CaseResult::iterations).sum();
        long totalMs = results.stream().mapToLong(CaseResult::millis).sum();
        long learned = healthy.stream().filter(CaseResult::learned).count();
        out.append(String.format(Locale.ROOT, "Detection suite: %d cases (%d problems, %d healthy models: %d learned, "
                        + "%d healthy iterations), default detectors, %.1f min of training in all.%n%n",
                results.size(), results.size() - healthy.size(), healthy.size(), learned, healthyIterations,
                totalMs / 60000.0));
        out.append("| alert type | problem cases | detected | recall | false positives (cases) | precision "
                + "| latency mean (it) | latency max (it) | healthy models raising it | false alarms / 1,000 healthy it "
                + "|\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String t : types(results)) {
            int positives = 0;
            int tp = 0;
            int fp = 0;
            int healthyModels = 0;
            long healthyAlarms = 0;
            List<Long> latencies = new ArrayList<>();
            for (CaseResult r : results) {
                LabeledCase c = r.labeledCase();
                boolean raised = r.raised(t);
                if (c.labeled(t)) {
                    positives++;
                    if (raised) {
                        tp++;
                        latencies.add(r.latency().orElseThrow());
                    }
                } else if (raised) {
                    fp++;
                }
                if (c.healthy()) {
                    healthyModels += raised ? 1 : 0;
                    healthyAlarms += r.count(t);
                }
            }
            out.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %d | %s | %s | %s | %d of %d | %s |%n", t,
                    positives, tp, positives == 0 ? "n/a" : pct(tp, positives), fp,
                    tp + fp == 0 ? "n/a" : pct(tp, tp + fp),
                    latencies.isEmpty() ? "n/a" : String.format(Locale.ROOT, "%.1f",
                            latencies.stream().mapToLong(Long::longValue).average().orElseThrow()),
                    latencies.isEmpty() ? "n/a" : Long.toString(latencies.stream().mapToLong(Long::longValue)
                            .max().orElseThrow()),
                    healthyModels, healthy.size(),
                    healthyIterations == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f",
                            1000.0 * healthyAlarms / healthyIterations)));
        }
        out.append('\n').append(ROW_HEADER).append('\n').append(ROW_RULE).append('\n');
        for (CaseResult r : results) {
            out.append(row(r)).append('\n');
        }
    }

    /** Detector types first (in the suite's order), then labels no detector produces. */
    private static Set<String> types(List<CaseResult> results) {
        Set<String> out = new LinkedHashSet<>();
        for (Detector d : DetectorSuite.defaults().detectors()) {
            out.add(d.type().name());
        }
        for (CaseResult r : results) {
            r.labeledCase().label().ifPresent(out::add);
            out.addAll(r.raisedTypes());
        }
        return out;
    }

    static String row(CaseResult r) {
        LabeledCase c = r.labeledCase();
        String first = c.label().map(t -> r.first(t).map(a -> t + " " + a.severity() + " @" + a.iteration() + " ("
                + r.latency().orElseThrow() + ")").orElse(t + " missed")).orElse("-");
        List<String> verdict = new ArrayList<>();
        if (!c.healthy() && !r.detected()) {
            verdict.add("MISS");
        }
        if (!r.falseAlarmTypes().isEmpty()) {
            verdict.add("FALSE ALARM " + String.join(", ", r.falseAlarmTypes()));
        }
        if (c.healthy() && !r.learned()) {
            verdict.add("DID NOT LEARN");
        }
        String stop = switch (r.stop()) {
            case FIXED -> "fixed";
            case FLAT -> "flat";
            case MAX_ITERATIONS -> "max";
            case TIME_BUDGET -> "time budget";
        };
        return String.format(Locale.ROOT, "| %s | %s | %s | %d (%s) | %s -> %s (%s) | %s | %d / %d / %d | %s | %s "
                        + "| %s | %s | %.0f |",
                c.name(), c.networkKind(), c.label().orElse("healthy"), r.iterations(), stop, Text.num(r.startLoss()),
                Text.num(r.endLoss()), Double.isFinite(r.chanceLoss()) ? Text.num(r.chanceLoss()) : "-",
                r.accuracy().isPresent() ? String.format(Locale.ROOT, "%.0f%%", 100 * r.accuracy().getAsDouble())
                        : "-",
                r.count(Severity.INFO), r.count(Severity.WARNING), r.count(Severity.CRITICAL),
                set(r.raisedTypes()), set(r.infoOnlyTypes()), first,
                verdict.isEmpty() ? "ok" : String.join("; ", verdict), r.millis() / 1000.0);
    }

    private static String set(Set<String> types) {
        return types.isEmpty() ? "-" : String.join(", ", types);
    }


    private static String pct(int num, int den) {
        return String.format(Locale.ROOT, "%.0f%%", 100.0 * num / den);
    }

    private static synchronized void append(Path file, String text) {
        if (file == null || text.isEmpty()) {
            return;
        }
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void write(Path file, String text) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Command-line options. */
    private record Options(boolean corpus, Set<String> only, Path out, Path alerts, Path report, int parallel,
                           int budget) {

        static Options parse(String[] args) {
            boolean corpus = false;
            Set<String> only = new LinkedHashSet<>();
            Path out = null;
            Path alerts = null;
            Path report = null;
            int parallel = 1;
            int budget = 0;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--corpus" -> corpus = true;
                    case "--only" -> only.addAll(Arrays.asList(value(args, ++i).split(",")));
                    case "--out" -> out = Path.of(value(args, ++i));
                    case "--alerts" -> alerts = Path.of(value(args, ++i));
                    case "--report" -> report = Path.of(value(args, ++i));
                    case "--parallel" -> parallel = Integer.parseInt(value(args, ++i));
                    case "--budget" -> budget = Integer.parseInt(value(args, ++i));
                    default -> {
                        System.err.println("unknown option '" + args[i] + "'; valid: --corpus, --only a,b, "
                                + "--out rows.md, --alerts alerts.tsv, --report report.md, --parallel n, --budget seconds");
                        System.exit(2);
                    }
                }
            }
            if (parallel < 1) {
                System.err.println("--parallel must be >= 1 (got: " + parallel + ")");
                System.exit(2);
            }
            if (budget < 0) {
                System.err.println("--budget must be >= 0 seconds (got: " + budget + ")");
                System.exit(2);
            }
            return new Options(corpus, only, out, alerts, report, parallel, budget);
        }

        private static String value(String[] args, int i) {
            if (i >= args.length) {
                System.err.println("option '" + args[i - 1] + "' needs a value");
                System.exit(2);
            }
            return args[i];
        }
    }
}
