package io.github.dl4jgradmon.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * How steady one bare training step is on this machine: times 1,000 iterations of a workload with no listener after
 * 200 of warm-up, and prints their percentiles and the means of consecutive blocks of 20. The overhead benchmark can
 * resolve a ratio only as finely as these blocks agree with each other; run it with and without
 * {@code OMP_NUM_THREADS=1} to see what ND4J's threads do to the spread.
 *
 * <p>Run: {@code mvn -q -pl benchmarks -am compile exec:exec -Dexec.executable=java
 * -Dexec.args="-cp %classpath io.github.dl4jgradmon.bench.StepNoise mlp"}
 */
public final class StepNoise {

    private StepNoise() {
    }

    public static void main(String[] args) {
        Workloads.Workload w = Workloads.of(args.length > 0 ? args[0] : "mlp");
        for (int i = 0; i < 200; i++) {
            w.step();
        }
        int n = 1000;
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            w.step();
            t[i] = (System.nanoTime() - s) / 1e6;
        }
        double[] blocks = new double[n / 20];
        for (int b = 0; b < blocks.length; b++) {
            blocks[b] = Arrays.stream(t, b * 20, b * 20 + 20).average().orElse(Double.NaN);
        }
        System.out.println("Step times: " + w.description() + "; " + Environment.jvm() + "; OMP_NUM_THREADS="
                + System.getenv().getOrDefault("OMP_NUM_THREADS", "(unset)"));
        System.out.println("start/end load: " + Environment.stamp());
        Arrays.sort(t);
        Arrays.sort(blocks);
        System.out.printf(Locale.ROOT, "per iteration, ms: p5 %.2f, p25 %.2f, median %.2f, p75 %.2f, p95 %.2f, max %.2f%n",
                t[n / 20], t[n / 4], t[n / 2], t[3 * n / 4], t[19 * n / 20], t[n - 1]);
        System.out.printf(Locale.ROOT, "means of blocks of 20, ms: min %.2f, p25 %.2f, median %.2f, p75 %.2f, max %.2f%n",
                blocks[0], blocks[blocks.length / 4], blocks[blocks.length / 2], blocks[3 * blocks.length / 4],
                blocks[blocks.length - 1]);
    }
}
