package io.github.dl4jgradmon.spark.sample;

import io.github.dl4jgradmon.spark.SparkGradientMonitor;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Harness (not a test): epoch time and driver heap over many epochs of a local[2] parameter-averaging run, with and
 * without the monitor, to show what the monitor costs per epoch and that neither time nor memory grows with the
 * epochs. Each configuration trains its own network; every epoch each configuration trains once, in rotating order,
 * so that the drift of a shared machine hits them alike. After every 5th epoch a forced GC and the heap in use (local
 * mode runs the executors in the driver's JVM, so it covers both).
 *
 * <pre>
 * mvn -q -pl dl4j-gradient-monitor-spark -am compile exec:java \
 *     -Dexec.mainClass=io.github.dl4jgradmon.spark.sample.SparkEpochBenchmark -Dexec.args="--epochs 40"
 * </pre>
 *
 * <p>Model: MLP 200-256-256-10 (Adam), 2 workers, 10 minibatches of 32 per worker per epoch, averaging every 5 steps.
 */
public final class SparkEpochBenchmark {

    private static final int N_IN = 200;
    private static final int BATCH = 32;
    private static final int BATCHES_PER_WORKER = 10;

    private SparkEpochBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        SparkJvm.ensureFlags(SparkEpochBenchmark.class, args);
        int epochs = args.length == 2 && args[0].equals("--epochs") ? Integer.parseInt(args[1]) : 40;
        if (epochs < 12) {
            throw new IllegalArgumentException("--epochs must be >= 12 (got: " + epochs + ")");
        }
        Path dir = Files.createDirectories(Path.of("target", "spark-bench"));
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("gradmon-spark-bench")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "localhost")
                .set("spark.driver.bindAddress", "127.0.0.1");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("ERROR");
            JavaRDD<DataSet> data = sc.parallelize(data(), 2);
            List<Config> configs = List.of(new Config("bare", dir), new Config("monitor, no storage", dir),
                    new Config("monitor + FileStatsStorage", dir), new Config("monitor + InMemoryStatsStorage", dir),
                    new Config("StatsListener + FileStatsStorage", dir));
            for (Config c : configs) {
                c.start(sc);
                c.net.fit(data); // warm-up epoch, not counted
            }
            List<Double> heap = new ArrayList<>();
            for (int e = 0; e < epochs; e++) {
                for (int k = 0; k < configs.size(); k++) { // rotating order: drift of a shared machine hits all alike
                    Config c = configs.get((e + k) % configs.size());
                    long t0 = System.nanoTime();
                    c.net.fit(data);
                    c.ms[e] = (System.nanoTime() - t0) / 1_000_000;
                }
                if ((e + 1) % 5 == 0) {
                    heap.add(heapAfterGc());
                    System.out.printf(Locale.ROOT, "epoch %d: heap after GC %.1f MB%n", e + 1, heap.get(heap.size() - 1));
                }
            }
            System.out.println();
            System.out.println("| configuration | ms/epoch, median | ratio to bare | epochs 1-10 median | last 10 median "
                    + "| last/first | stored after " + epochs + " epochs |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|");
            double bare = median(configs.get(0).ms, 0, epochs);
            for (Config c : configs) {
                System.out.println(c.row(epochs, bare));
                c.close();
            }
            System.out.printf(Locale.ROOT, "%nDriver heap after GC every 5 epochs (all configurations, one JVM: local mode runs the "
                    + "executors in the driver), MB: %s%n", heap);
        }
    }

    /** One configuration: its own network, listeners and storage, its epoch times. */
    private static final class Config {
        final String name;
        final Path file;
        final long[] ms = new long[10_000];
        SparkDl4jMultiLayer net;
        StatsStorage storage;

        Config(String name, Path dir) {
            this.name = name;
            this.file = dir.resolve(name.replaceAll("[^a-zA-Z]+", "-") + ".bin");
        }

        void start(JavaSparkContext sc) throws Exception {
            net = new SparkDl4jMultiLayer(sc, network(), master());
            Files.deleteIfExists(file);
            if (name.contains("FileStatsStorage")) {
                storage = new FileStatsStorage(file.toFile());
            } else if (name.contains("InMemory")) {
                storage = new InMemoryStatsStorage();
            }
            if (name.startsWith("monitor")) {
                SparkGradientMonitor.Builder b = SparkGradientMonitor.builder().logAlerts(false);
                if (storage != null) {
                    b.statsStorage(storage);
                }
                b.build().attachTo(net);
            } else if (name.startsWith("StatsListener")) {
                net.setListeners(storage, List.of(new StatsListener(null)));
            }
        }

        String row(int epochs, double bare) {
            String stored = "-";
            if (storage instanceof InMemoryStatsStorage m) {
                long updates = 0;
                for (String session : m.listSessionIDs()) {
                    for (String type : m.listTypeIDsForSession(session)) {
                        for (String worker : m.listWorkerIDsForSessionAndType(session, type)) {
                            updates += m.getNumUpdateRecordsFor(session, type, worker);
                        }
                    }
                }
                stored = updates + " records in memory";
            } else if (Files.exists(file)) {
                try {
                    stored = String.format(Locale.ROOT, "%.1f MB file", Files.size(file) / 1e6);
                } catch (IOException e) {
                    stored = "?";
                }
            }
            double all = median(ms, 0, epochs);
            double first = median(ms, 0, 10);
            double last = median(ms, epochs - 10, epochs);
            return String.format(Locale.ROOT, "| %s | %.0f | %.2f | %.0f | %.0f | %.2f | %s |", name, all, all / bare, first, last,
                    last / first, stored);
        }

        void close() throws Exception {
            if (storage != null) {
                storage.close();
            }
        }
    }

    private static double heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1e6;
    }

    private static double median(long[] v, int from, int to) {
        long[] s = Arrays.copyOfRange(v, from, to);
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }

    private static ParameterAveragingTrainingMaster master() {
        return new ParameterAveragingTrainingMaster.Builder(BATCH).batchSizePerWorker(BATCH).averagingFrequency(5)
                .workerPrefetchNumBatches(0).repartionData(Repartition.Never)
                .rddTrainingApproach(RDDTrainingApproach.Direct).build();
    }

    private static MultiLayerNetwork network() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .updater(new Adam(1e-3)).weightInit(WeightInit.RELU).list()
                .layer(new DenseLayer.Builder().nIn(N_IN).nOut(256).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(256).nOut(256).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(256).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    private static List<DataSet> data() {
        Random r = new Random(3);
        List<DataSet> list = new ArrayList<>();
        for (int b = 0; b < 2 * BATCHES_PER_WORKER; b++) {
            INDArray x = Nd4j.create(DataType.FLOAT, BATCH, N_IN);
            INDArray y = Nd4j.zeros(DataType.FLOAT, BATCH, 10);
            for (int i = 0; i < BATCH; i++) {
                int k = r.nextInt(10);
                for (int j = 0; j < N_IN; j++) {
                    x.putScalar(i, j, (j % 10 == k ? 1.0 : 0.0) + r.nextGaussian());
                }
                y.putScalar(i, k, 1);
            }
            list.add(new DataSet(x, y));
        }
        return list;
    }
}
