package io.github.dl4jgradmon.bench.jmh;

import io.github.dl4jgradmon.bench.Workloads;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the JMH kernel benchmarks ({@link KernelBenchmark}, plus {@link VectorReadBenchmark} when the JVM has
 * {@code jdk.incubator.vector}) and prints one Markdown table: time per pass, nanoseconds per parameter, the bytes
 * each pass touches per second, and that rate as a fraction of the fastest streaming read of the same buffers measured
 * in the same run. JMH's own output goes to stderr-free log lines above the table.
 *
 * <p>Run:
 * <pre>
 * mvn -q -pl benchmarks -am compile exec:exec -Dexec.executable=java \
 *     -Dexec.args="-cp %classpath io.github.dl4jgradmon.bench.jmh.KernelReport"
 * mvn -q -pl benchmarks -am compile exec:exec -Dexec.executable=java \
 *     -Dexec.args="--add-modules jdk.incubator.vector -cp %classpath io.github.dl4jgradmon.bench.jmh.KernelReport"
 * </pre>
 * Arguments after the class name are passed to JMH's command line parser's include pattern ({@code mlp} or
 * {@code vgg16} restrict the model).
 */
public final class KernelReport {

    private KernelReport() {
    }

    public static void main(String[] args) throws RunnerException {
        boolean vector = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        List<String> jvmArgs = new ArrayList<>(ManagementFactory.getRuntimeMXBean().getInputArguments());
        String start = stamp();
        ChainedOptionsBuilder opt = new OptionsBuilder()
                .include(KernelBenchmark.class.getName())
                .jvmArgs(jvmArgs.toArray(String[]::new))
                .shouldFailOnError(true);
        if (vector) {
            opt.include(VectorReadBenchmark.class.getName());
        }
        if (args.length > 0) {
            opt.param("model", args);
        }
        Collection<RunResult> results = new Runner(opt.build()).run();

        Map<String, Map<String, double[]>> byModel = new LinkedHashMap<>();
        for (RunResult r : results) {
            String model = r.getParams().getParam("model");
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            byModel.computeIfAbsent(model, m -> new LinkedHashMap<>()).put(name,
                    new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()});
        }
        System.out.println();
        System.out.println("Kernels under JMH: " + (vector ? "Vector API kernels (--add-modules jdk.incubator.vector)"
                : "portable kernels (no JVM flag)") + "; Java " + System.getProperty("java.version")
                + ", JVM flags: " + String.join(" ", jvmArgs));
        System.out.println("start " + start);
        System.out.println("end   " + stamp());
        System.out.println();
        System.out.println("| model | pass | µs per pass (± 99.9% CI) | ns/parameter | bytes touched | GB/s | "
                + "of the fastest read |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|");
        for (var e : byModel.entrySet()) {
            long n = parameters(e.getKey());
            Map<String, double[]> m = e.getValue();
            double bestRead = 0;
            for (String read : List.of("readCopy", "readLongs", "readVector")) {
                if (m.containsKey(read)) {
                    bestRead = Math.max(bestRead, 8.0 * n / (m.get(read)[0] * 1e3));
                }
            }
            for (var row : m.entrySet()) {
                double us = row.getValue()[0];
                long bytes = bytesTouched(row.getKey(), n);
                double gbs = bytes / (us * 1e3);
                System.out.printf(Locale.ROOT, "| %s (%,d parameters) | %s | %.1f ± %.1f | %.3f | %s | %s | %s |%n",
                        e.getKey(), n, row.getKey(), us, row.getValue()[1], us * 1e3 / n,
                        bytes == 0 ? "" : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6),
                        bytes == 0 ? "" : String.format(Locale.ROOT, "%.1f", gbs),
                        bytes == 0 ? "" : String.format(Locale.ROOT, "%.0f%%", 100 * gbs / bestRead));
            }
        }
    }

    /** Bytes a pass reads plus writes (float buffers). */
    static long bytesTouched(String pass, long n) {
        return switch (pass) {
            case "gradientPass", "readCopy", "readLongs", "readVector" -> 8 * n; // gradient + parameters
            case "updatePass" -> 4 * n;
            case "clipScale" -> 8 * n; // read and write the gradient
            default -> 0;
        };
    }

    /** Parameter count of the model as the benchmarks build it (counted here, in the host JVM). */
    static long parameters(String model) {
        return Workloads.of(model).parameters();
    }

    private static String stamp() {
        String load;
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            load = f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            load = String.valueOf(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
        return Instant.now().truncatedTo(ChronoUnit.SECONDS) + ", load average (1/5/15 min) " + load;
    }
}
