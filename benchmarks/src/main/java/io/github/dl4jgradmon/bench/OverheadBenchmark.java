package io.github.dl4jgradmon.bench;

import com.sun.management.ThreadMXBean;
import io.github.dl4jgradmon.GradientMonitor;
import io.github.dl4jgradmon.clip.GradientClipping;
import java.lang.management.GarbageCollectorMXBean;
import java.util.stream.Collectors;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.core.storage.StorageMetaData;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.nd4j.linalg.dataset.DataSet;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Whole-run overhead as a user feels it: training time per iteration with a listener, divided by bare training time,
 * resolved on a noisy shared machine.
 *
 * <p>Method. One network per model; its listeners are swapped between blocks of iterations on one fixed minibatch.
 * A round runs {@code bare, A, bare, B, ...} where A, B, ... are the listener configurations in an order that
 * rotates every round, and the next round starts with a bare block again: every configuration block has a bare block
 * right before and right after it. Its ratio is its milliseconds per iteration divided by the mean of those two bare
 * blocks, which cancels the machine's drift over the seconds around it. Reported per configuration: the median of
 * those ratios over all rounds with the first and third quartiles, the bare blocks' median time, the time spent inside
 * the listener's callbacks (timed by {@link CallbackTimer}) and heap bytes allocated per iteration by all threads
 * beyond the adjacent bare blocks'.
 *
 * <p>Configurations: no listener; {@link GradientMonitor} on its defaults (every statistic of every layer, every
 * iteration, default detectors); the monitor with global-norm clipping at 1.0 plus skipping of non-finite steps;
 * DL4J's {@code StatsListener} every iteration and every 10th (its records go to a router that drops them, so that
 * storage growth does not enter the timing). Blocks last about half a second (the block length in iterations is
 * set from the bare step measured during warm-up); after each swap one untimed iteration runs when steps are shorter
 * than 100 ms. Blocks of "every 10th" last a multiple of 10 iterations, so each holds its share of reporting
 * iterations. A run stops after {@code --seconds} per model (at least 3 rounds).
 *
 * <p>Run (portable kernels, then the Vector API kernels):
 * <pre>
 * mvn -q -pl benchmarks -am compile exec:exec -Dexec.executable=java \
 *     -Dexec.args="-cp %classpath io.github.dl4jgradmon.bench.OverheadBenchmark --models mlp,cnn,lstm --seconds 150"
 * mvn -q -pl benchmarks -am compile exec:exec -Dexec.executable=java \
 *     -Dexec.args="--add-modules jdk.incubator.vector -cp %classpath io.github.dl4jgradmon.bench.OverheadBenchmark"
 * </pre>
 * Options: {@code --models mlp,cnn,lstm,vgg16} (default mlp,cnn,lstm), {@code --seconds N} per model (default 120),
 * {@code --block-ms N} target block length (default 500), {@code --configs monitor,threads2,protect,filterDense,filterOutput,noop,floor,stats1,stats10}
 * the listener configurations (default all), {@code --baseline none|noop} what the configurations are compared with:
 * no listener (default) or an empty one. The table goes to stdout in Markdown, with the machine's
 * load average at start and end.
 */
public final class OverheadBenchmark {

    private OverheadBenchmark() {
    }

    /**
     * A listener configuration; {@code key} selects it with {@code --configs}, {@code period}: its blocks last a whole
     * number of its reporting periods.
     */
    record Config(String key, String name, int period, Supplier<TrainingListener> listener) {
    }

    static List<Config> configs() {
        return List.of(
                new Config("monitor", "monitor, defaults (every statistic, every iteration)", 1,
                        () -> GradientMonitor.builder().logAlerts(false).build()),
                new Config("threads2", "monitor, threads(2): a helper shares the gradient and update passes", 1,
                        () -> GradientMonitor.builder().logAlerts(false).threads(2).build()),
                new Config("protect", "monitor + clipping (global norm 1.0) + skipping non-finite steps", 1,
                        () -> GradientMonitor.builder().logAlerts(false).clipping(GradientClipping.globalNorm(1.0))
                                .skipNonFiniteSteps(true).build()),
                new Config("filterDense", "monitor, layers(\"DenseLayer\", \"OutputLayer\"): statistics of those "
                        + "layers, one sum of squares over the others", 1,
                        () -> GradientMonitor.builder().logAlerts(false).layers("DenseLayer", "OutputLayer").build()),
                new Config("filterOutput", "monitor, layers(\"OutputLayer\"): statistics of the output layer, one sum "
                        + "of squares over the others", 1,
                        () -> GradientMonitor.builder().logAlerts(false).layers("OutputLayer").build()),
                new Config("noop", "an empty listener (what DL4J itself does differently once a listener is attached)",
                        1, NoOpListener::new),
                new Config("floor", "reads only: the gradient once at onGradientCalculation, the update once at "
                        + "iterationDone (memcpy, no statistics)", 1, ReadFloor::new),
                new Config("stats1", "StatsListener every iteration", 1,
                        () -> new StatsListener(new DroppingRouter(), 1)),
                new Config("stats10", "StatsListener every 10th", 10,
                        () -> new StatsListener(new DroppingRouter(), 10)));
    }

    public static void main(String[] args) {
        List<String> models = List.of("mlp", "cnn", "lstm");
        double seconds = 120;
        double blockMillis = 500;
        boolean emptyBaseline = false;
        List<String> keys = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--models" -> models = List.of(args[++i].split(","));
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--block-ms" -> blockMillis = Double.parseDouble(args[++i]);
                case "--configs" -> keys = List.of(args[++i].split(","));
                case "--baseline" -> {
                    String b = args[++i];
                    if (!b.equals("none") && !b.equals("noop")) {
                        throw new IllegalArgumentException("--baseline must be none (no listener) or noop (an empty "
                                + "listener), got: " + b);
                    }
                    emptyBaseline = b.equals("noop");
                }
                default -> throw new IllegalArgumentException("unknown option '" + args[i]
                        + "': use --models mlp,cnn,lstm,vgg16, --seconds N, --block-ms N, --baseline none|noop, --configs "
                        + configs().stream().map(Config::key).collect(Collectors.joining(",")));
            }
        }
        System.out.println("Overhead: " + Environment.kernels() + "; " + Environment.jvm());
        System.out.println("start " + Environment.stamp());
        System.out.println();
        System.out.println("Baseline blocks: " + (emptyBaseline ? "an empty listener attached (--baseline noop)"
                : "no listener (bare)"));
        System.out.println();
        System.out.println("| model | configuration | rounds | baseline ms/iteration (median) | ratio to adjacent "
                + "baseline (median) | quartiles | GC pauses excluded: ratio (median) | quartiles | in callbacks, "
                + "ms/iteration (median) | extra heap bytes/iteration |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        List<Config> chosen = configs();
        if (keys != null) {
            List<String> wanted = keys;
            chosen = chosen.stream().filter(c -> wanted.contains(c.key())).toList();
            if (chosen.size() != wanted.size()) {
                throw new IllegalArgumentException("--configs names an unknown configuration; known: "
                        + configs().stream().map(Config::key).collect(Collectors.joining(",")));
            }
        }
        for (String key : models) {
            measure(Workloads.of(key.trim()), chosen, seconds, blockMillis, emptyBaseline);
        }
        System.out.println();
        System.out.println("end " + Environment.stamp());
    }

    private static void measure(Workloads.Workload w, List<Config> configs, double seconds, double blockMillis,
                                boolean emptyBaseline) {
        TrainingListener baseline = emptyBaseline ? new NoOpListener() : null;
        String baseName = emptyBaseline ? "baseline: an empty listener" : "bare";
        int n = configs.size();
        List<CallbackTimer> timers = new ArrayList<>();
        for (Config c : configs) {
            timers.add(new CallbackTimer(c.listener.get()));
        }
        // warm-up: bare steps (also measure the step), then each listener
        w.listen(null);
        for (int i = 0; i < 5; i++) {
            w.step();
        }
        long t0 = System.nanoTime();
        int probe = 5;
        for (int i = 0; i < probe; i++) {
            w.step();
        }
        double stepMillis = (System.nanoTime() - t0) / 1e6 / probe;
        int block = (int) Math.max(1, Math.round(blockMillis / stepMillis));
        int settle = stepMillis < 100 ? 1 : 0;
        // each listener warms up (its first call builds its state; the JIT compiles the passes, which for a big
        // model run thousands of pieces per iteration): 10 iterations, 3 when a step takes seconds
        int warm = stepMillis > 1000 ? 3 : Math.max(10, 2 * block);
        for (CallbackTimer t : timers) {
            w.listen(t);
            for (int i = 0; i < warm; i++) {
                w.step();
            }
        }

        List<double[]> bare = new ArrayList<>(); // {ms/iteration, ms/iteration without GC pauses}
        List<Long> bareBytes = new ArrayList<>();
        // per config: {ms/iteration, callback ms, bytes, index of bare before, ms/iteration without GC pauses}
        List<List<double[]>> blocks = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            blocks.add(new ArrayList<>());
        }
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        int rounds = 0;
        while (rounds < 3 || System.nanoTime() < deadline) {
            for (int j = 0; j < n; j++) {
                long[] b = new long[1];
                bare.add(block(w, baseline, block, settle, b));
                bareBytes.add(b[0]);
                int k = (j + rounds) % n;
                CallbackTimer t = timers.get(k);
                int period = configs.get(k).period;
                double[] ms = block(w, t, (block + period - 1) / period * period, settle, b);
                blocks.get(k).add(new double[] {ms[0], t.millisPerIteration(), b[0], bare.size() - 1, ms[1]});
            }
            rounds++;
        }
        long[] b = new long[1];
        bare.add(block(w, baseline, block, settle, b));
        bareBytes.add(b[0]);
        w.listen(null);

        double[] bareMs = bare.stream().mapToDouble(x -> x[0]).toArray();
        String model = String.format(Locale.ROOT, "%s (%,d parameters; %d iterations/block)", w.description(),
                w.parameters(), block);
        System.out.printf(Locale.ROOT, "| %s | %s | %d | %.2f | 1 | | 1 | | | |%n", model, baseName, rounds,
                Stats.median(bareMs));
        for (int k = 0; k < n; k++) {
            List<double[]> rows = blocks.get(k);
            double[] ratio = new double[rows.size()];
            double[] ratioNoGc = new double[rows.size()];
            double[] cb = new double[rows.size()];
            double[] bytes = new double[rows.size()];
            for (int r = 0; r < rows.size(); r++) {
                double[] row = rows.get(r);
                int before = (int) row[3];
                double adjacent = (bare.get(before)[0] + bare.get(before + 1)[0]) / 2;
                ratio[r] = row[0] / adjacent;
                ratioNoGc[r] = row[4] / ((bare.get(before)[1] + bare.get(before + 1)[1]) / 2);
                cb[r] = row[1];
                bytes[r] = row[2] - (bareBytes.get(before) + bareBytes.get(before + 1)) / 2.0;
            }
            System.out.printf(Locale.ROOT, "| %s | %s | %d | | %.3fx | %.3f-%.3f | %.3fx | %.3f-%.3f | %.3f | %.0f |%n",
                    model, configs.get(k).name, rows.size(), Stats.median(ratio), Stats.quantile(ratio, 0.25),
                    Stats.quantile(ratio, 0.75), Stats.median(ratioNoGc), Stats.quantile(ratioNoGc, 0.25),
                    Stats.quantile(ratioNoGc, 0.75), Stats.median(cb), Stats.median(bytes));
        }
    }

    /**
     * One block: swap in the listener, settle, then time {@code iterations} steps. Returns ms per iteration, with and
     * without the time the JVM's collectors paused the application during the block.
     */
    private static double[] block(Workloads.Workload w, TrainingListener listener, int iterations, int settle,
                                long[] bytesPerIteration) {
        w.listen(listener);
        for (int i = 0; i < settle; i++) {
            w.step();
        }
        if (listener instanceof CallbackTimer t) {
            t.reset();
        }
        long b0 = allocatedBytes();
        long gc0 = gcPauseMillis();
        long t0 = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            w.step();
        }
        long t1 = System.nanoTime();
        long gc = gcPauseMillis() - gc0;
        bytesPerIteration[0] = (allocatedBytes() - b0) / iterations;
        double ms = (t1 - t0) / 1e6;
        return new double[] {ms / iterations, Math.max(0, ms - gc) / iterations};
    }

    /**
     * Milliseconds the collectors have paused the application so far (G1's young and full collections on Java 17;
     * concurrent work is not a pause and is not counted).
     */
    private static long gcPauseMillis() {
        long sum = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, gc.getCollectionTime());
        }
        return sum;
    }

    private static long allocatedBytes() {
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long a : mx.getThreadAllocatedBytes(mx.getAllThreadIds())) {
            if (a > 0) {
                sum += a;
            }
        }
        return sum;
    }

    /** A fixed random minibatch (kept for MemorySoak, which trains on one). */
    static DataSet batch(int n, int nIn, int classes) {
        return Workloads.batch(n, nIn, classes);
    }

    /** A StatsListener destination that keeps nothing: its records are computed, then dropped. */
    static final class DroppingRouter implements StatsStorageRouter {
        @Override
        public void putStorageMetaData(StorageMetaData storageMetaData) {
        }

        @Override
        public void putStorageMetaData(Collection<? extends StorageMetaData> collection) {
        }

        @Override
        public void putStaticInfo(Persistable persistable) {
        }

        @Override
        public void putStaticInfo(Collection<? extends Persistable> collection) {
        }

        @Override
        public void putUpdate(Persistable persistable) {
        }

        @Override
        public void putUpdate(Collection<? extends Persistable> collection) {
        }
    }
}
