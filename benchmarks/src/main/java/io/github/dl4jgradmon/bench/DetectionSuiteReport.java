package io.github.dl4jgradmon.bench;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.suite.CaseResult;
import io.github.dl4jgradmon.suite.CaseRunner;
import io.github.dl4jgradmon.suite.LabeledCase;
import io.github.dl4jgradmon.suite.LabeledCases;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Runs the labeled detection suite ({@link LabeledCases}) with the default detectors and prints Markdown: per alert
 * type precision, recall, detection latency and false alarms on the healthy twins, then one row per case.
 *
 * <p>Counting, per alert type T (alerts at WARNING or above only; INFO alerts are listed per case but never count):
 * a case that expects T and raised it is a true positive; a case that expects T and did not is a miss; a case that
 * raised T while it neither expects nor tolerates T (see {@link LabeledCase#tolerated()}) is a false positive.
 * Latency is the first alert's iteration minus the problem's onset (the first non-finite gradient for NON_FINITE,
 * {@link LabeledCase#onset()} otherwise: 0 for problems built into the model).
 *
 * <p>Run: {@code mvn -q -pl benchmarks -am compile exec:java -Dexec.mainClass=io.github.dl4jgradmon.bench.DetectionSuiteReport}
 * (the Markdown goes to stdout after libnd4j's start-up lines).
 */
public final class DetectionSuiteReport {

    private DetectionSuiteReport() {
    }

    public static void main(String[] args) {
        CaseRunner.useOneNd4jThread();
        List<CaseResult> results = new ArrayList<>();
        for (LabeledCase c : LabeledCases.all()) {
            results.add(CaseRunner.run(c));
        }
        print(System.out, results);
    }

    static void print(PrintStream out, List<CaseResult> results) {
        long healthy = results.stream().filter(r -> r.labeledCase().healthy()).count();
        long totalMs = results.stream().mapToLong(CaseResult::millis).sum();
        out.printf(Locale.ROOT, "Detection suite: %d labeled cases (%d problems, %d healthy twins), default "
                + "detectors, %.1f s of training in all.%n%n", results.size(), results.size() - healthy, healthy,
                totalMs / 1000.0);
        out.println("| alert type | problem cases | detected | recall | precision | latency mean (it) "
                + "| latency max (it) | false alarms on healthy twins |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        // the detectors' types; STEP_SKIPPED and LR_REDUCED report reactions, not detections
        for (AlertType t : io.github.dl4jgradmon.detect.DetectorSuite.defaults().detectors().stream()
                .map(io.github.dl4jgradmon.detect.Detector::type).toList()) {
            int positives = 0;
            int tp = 0;
            int fp = 0;
            int healthyAlarms = 0;
            List<Long> latencies = new ArrayList<>();
            for (CaseResult r : results) {
                LabeledCase c = r.labeledCase();
                boolean raised = r.raised(t);
                if (c.expected().contains(t)) {
                    positives++;
                    if (raised) {
                        tp++;
                        latencies.add(r.latency(t).orElseThrow());
                    }
                } else if (raised && !c.allows(t)) {
                    fp++;
                }
                if (c.healthy() && raised) {
                    healthyAlarms++;
                }
            }
            out.printf(Locale.ROOT, "| %s | %d | %d | %s | %s | %s | %s | %d of %d |%n", t, positives, tp,
                    positives == 0 ? "n/a" : pct(tp, positives), tp + fp == 0 ? "n/a" : pct(tp, tp + fp),
                    latencies.isEmpty() ? "n/a" : String.format(Locale.ROOT, "%.1f",
                            latencies.stream().mapToLong(Long::longValue).average().orElseThrow()),
                    latencies.isEmpty() ? "n/a" : Long.toString(latencies.stream().mapToLong(Long::longValue)
                            .max().orElseThrow()),
                    healthyAlarms, healthy);
        }
        out.println();
        out.println("| case | net | expected | tolerated | raised (WARNING+) | INFO only | first alert (latency) "
                + "| result | ms |");
        out.println("|---|---|---|---|---|---|---|---|---:|");
        for (CaseResult r : results) {
            LabeledCase c = r.labeledCase();
            Set<AlertType> info = new TreeSet<>();
            for (GradientAlert a : r.alerts()) {
                if (a.severity() == Severity.INFO && !r.raised(a.type())) {
                    info.add(a.type());
                }
            }
            String first = c.expected().stream().sorted().map(t -> {
                OptionalLong l = r.latency(t);
                return t + (l.isPresent() ? " @" + r.first(t).orElseThrow().iteration() + " (" + l.getAsLong() + ")"
                        : " missed");
            }).collect(Collectors.joining(", "));
            String result = r.misses().isEmpty() && r.falseAlarms().isEmpty() ? "ok"
                    : (r.misses().isEmpty() ? "" : "MISS " + r.misses() + " ")
                    + (r.falseAlarms().isEmpty() ? "" : "FALSE ALARM " + r.falseAlarms());
            out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %d |%n", c.name(), c.networkKind(),
                    set(c.expected()), set(c.tolerated()), set(r.raisedTypes()), set(info),
                    first.isEmpty() ? "-" : first, result.trim(), r.millis());
        }
    }

    private static String set(Set<AlertType> types) {
        return types.isEmpty() ? "-" : new TreeSet<>(types).stream().map(Enum::name)
                .collect(Collectors.joining(", "));
    }

    private static String pct(int num, int den) {
        return String.format(Locale.ROOT, "%.0f%%", 100.0 * num / den);
    }
}
