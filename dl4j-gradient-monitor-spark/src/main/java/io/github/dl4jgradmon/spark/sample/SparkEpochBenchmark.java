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

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Harness (not a test): epoch time and driver heap over many epochs of a local[2] parameter-averaging run, with and
 * without the monitor, to show that the monitor's cost per epoch is small and that neither time nor memory grows
 * with the epochs. Each configuration trains its own network for {@code --epochs} epochs in turn (bare first and
 * again last, to see the machine's drift); after every 5th epoch a forced GC and the heap in use. In local mode the
 * executors run in the driver's JVM, so the heap covers both.
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
        Path dir = Files.createDirectories(Path.of("target", "spark-bench"));
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("gradmon-spark-bench")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "localhost")
                .set("spark.driver.bindAddress", "127.0.0.1");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("ERROR");
            JavaRDD<DataSet> data = sc.parallelize(data(), 2);
            List<String> rows = new ArrayList<>();
            String[] configs = {"bare", "monitor, no storage", "monitor + FileStatsStorage",
                    "monitor + InMemoryStatsStorage", "StatsListener + FileStatsStorage", "bare (again)"};
            run(sc, data, "warm-up", dir, Math.min(5, epochs)); // JIT, Spark and ND4J start-up
            for (String config : configs) {
                rows.add(run(sc, data, config, dir, epochs));
            }
            System.out.println();
            System.out.println("| configuration | epochs | ms/epoch, median of all | epochs 2-6 median | last 5 median "
                    + "| last/first | heap after GC, MB: epoch 5 -> last | stored |");
            System.out.println("|---|---:|---:|---:|---:|---:|---|---:|");
            rows.forEach(System.out::println);
        }
    }

    private static String run(JavaSparkContext sc, JavaRDD<DataSet> data, String config, Path dir, int epochs)
            throws Exception {
        SparkDl4jMultiLayer net = new SparkDl4jMultiLayer(sc, network(), master());
        StatsStorage storage = null;
        Path file = dir.resolve(config.replaceAll("[^a-zA-Z]+", "-") + ".bin");
        Files.deleteIfExists(file);
        if (config.contains("FileStatsStorage")) {
            storage = new FileStatsStorage(file.toFile());
        } else if (config.contains("InMemory")) {
            storage = new InMemoryStatsStorage();
        }
        if (config.startsWith("monitor")) {
            SparkGradientMonitor.Builder b = SparkGradientMonitor.builder();
            if (storage != null) {
                b.statsStorage(storage);
            }
            b.build().attachTo(net);
        } else if (config.startsWith("StatsListener")) {
            net.setListeners(storage, List.of(new StatsListener(null)));
        }
        long[] ms = new long[epochs];
        List<Double> heap = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            long t0 = System.nanoTime();
            net.fit(data);
            ms[e] = (System.nanoTime() - t0) / 1_000_000;
            if ((e + 1) % 5 == 0) {
                heap.add(heapAfterGc());
            }
        }
        if (storage != null) {
            storage.close();
        }
        String stored = Files.exists(file) ? String.format("%.1f MB file", Files.size(file) / 1e6) : "-";
        int n = Math.min(5, epochs - 1);
        String row = String.format("| %s | %d | %.0f | %.0f | %.0f | %.2f | %s | %s |", config, epochs,
                median(ms, 0, epochs), median(ms, 1, 1 + n), median(ms, epochs - n, epochs),
                median(ms, epochs - n, epochs) / median(ms, 1, 1 + n),
                heap.isEmpty() ? "-" : String.format("%.0f -> %.0f", heap.get(0), heap.get(heap.size() - 1)), stored);
        System.out.println(row + "  heap every 5 epochs: " + heap);
        return row;
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
