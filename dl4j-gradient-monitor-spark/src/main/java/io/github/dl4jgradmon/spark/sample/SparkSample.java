package io.github.dl4jgradmon.spark.sample;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.spark.RunSummary;
import io.github.dl4jgradmon.spark.SparkGradientMonitor;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The Spark sample: an MLP 20-64-64-4 (Adam) trained for a few epochs with parameter averaging on {@code local[2]}
 * (or any master given), synthetic data in two partitions, NaN features planted in one minibatch of partition 1.
 * Each worker runs the GradientMonitor with {@code skipNonFiniteSteps(true)}: the poisoned worker skips that step and
 * training goes on. The driver logs the worker's alert as Spark replays it, and prints the alerts (worker, layer,
 * iteration) and the run summary after {@code fit}. Records go to {@code target/spark-sample/stats.bin}; open them
 * with the samples' {@code report} command or a DL4J UI server.
 *
 * <pre>
 * mvn -q -pl dl4j-gradient-monitor-spark -am compile exec:java -Dexec.args="--epochs 3 --master local[2]"
 * mvn -q -pl dl4j-gradient-monitor-spark -am compile exec:java -Dexec.args="--master local-cluster[2,1,1536]"
 * </pre>
 * (the second with two executor JVMs; {@link SparkJvm} prepares what local-cluster mode needs).
 */
public final class SparkSample {

    private static final int N_IN = 20;
    private static final int CLASSES = 4;
    private static final int BATCH = 16;
    private static final int BATCHES_PER_PARTITION = 10;

    private SparkSample() {
    }

    public static void main(String[] args) throws Exception {
        SparkJvm.ensureFlags(SparkSample.class, args);
        int epochs = 3;
        String master = "local[2]";
        Path out = Path.of("target", "spark-sample", "stats.bin");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--epochs" -> epochs = positive("--epochs", value(args, ++i));
                case "--master" -> master = value(args, ++i);
                case "--out" -> out = Path.of(value(args, ++i));
                default -> fail("unknown option '" + args[i] + "' (options: --epochs N, --master URL, --out FILE)");
            }
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.deleteIfExists(out);

        SparkConf conf = new SparkConf().setMaster(master).setAppName("gradmon-spark-sample")
                .set("spark.ui.enabled", "false");
        if (master.startsWith("local")) {
            conf.set("spark.driver.host", "localhost").set("spark.driver.bindAddress", "127.0.0.1");
        }
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            FileStatsStorage storage = new FileStatsStorage(out.toFile());
            SparkGradientMonitor monitor = SparkGradientMonitor.builder()
                    .worker(b -> b.skipNonFiniteSteps(true))
                    .statsStorage(storage)
                    .build();
            ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(BATCH)
                    .batchSizePerWorker(BATCH).averagingFrequency(5).workerPrefetchNumBatches(0)
                    .repartionData(Repartition.Never).rddTrainingApproach(RDDTrainingApproach.Direct).build();
            SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, network(), tm);
            monitor.attachTo(sparkNet);

            JavaRDD<DataSet> data = sc.parallelize(data(), 2);
            for (int epoch = 0; epoch < epochs; epoch++) {
                long t0 = System.nanoTime();
                sparkNet.fit(data);
                System.out.printf(Locale.ROOT, "epoch %d: score %.4f, %d ms%n", epoch, sparkNet.getScore(),
                        (System.nanoTime() - t0) / 1_000_000);
            }

            System.out.println();
            System.out.println("Alerts received on the driver (worker = executor-partition):");
            for (GradientAlert a : monitor.alerts()) {
                System.out.printf(Locale.ROOT, "  %-12s worker %-10s layer %-8s iteration %d%n", a.type(), a.workerId(),
                        a.layerLabel(), a.iteration());
            }
            RunSummary summary = monitor.summary();
            System.out.println();
            System.out.print(summary.toText());
            System.out.println();
            System.out.println("Records of session " + monitor.sessionId() + " in " + out.toAbsolutePath()
                    + " (open with: gradmon report --in " + out + " --out report.html)");
            storage.close();
            boolean found = summary.alert(AlertType.STEP_SKIPPED).map(s -> s.workers().size() == 1).orElse(false);
            if (!found) {
                System.err.println("expected the poisoned worker's STEP_SKIPPED alert on the driver, got: "
                        + monitor.alerts());
                System.exit(1);
            }
        }
    }

    static MultiLayerNetwork network() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).updater(new Adam(1e-3))
                .weightInit(WeightInit.RELU).list()
                .layer(new DenseLayer.Builder().nIn(N_IN).nOut(64).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(64).nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(64).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Gaussian blobs, one per class; the first half of the list is partition 0, the second partition 1. */
    static List<DataSet> data() {
        Random r = new Random(42);
        double[][] centres = new double[CLASSES][N_IN];
        for (double[] c : centres) {
            for (int j = 0; j < N_IN; j++) {
                c[j] = r.nextGaussian();
            }
        }
        List<DataSet> list = new ArrayList<>();
        for (int b = 0; b < 2 * BATCHES_PER_PARTITION; b++) {
            INDArray x = Nd4j.create(DataType.FLOAT, BATCH, N_IN);
            INDArray y = Nd4j.zeros(DataType.FLOAT, BATCH, CLASSES);
            for (int i = 0; i < BATCH; i++) {
                int k = r.nextInt(CLASSES);
                for (int j = 0; j < N_IN; j++) {
                    x.putScalar(i, j, centres[k][j] + 0.8 * r.nextGaussian());
                }
                y.putScalar(i, k, 1);
            }
            if (b == BATCHES_PER_PARTITION + 3) { // partition 1, its fourth minibatch: two rows of NaN features
                x.putScalar(0, 0, Double.NaN);
                x.putScalar(1, 5, Double.NaN);
            }
            list.add(new DataSet(x, y));
        }
        return list;
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            fail(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static int positive(String name, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        fail(name + " must be an integer >= 1 (got: '" + v + "')");
        return 0;
    }

    private static void fail(String message) {
        System.err.println(message);
        System.exit(2);
    }

}
