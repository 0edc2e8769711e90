package io.github.dl4jgradmon.bench;

import io.github.dl4jgradmon.GradientMonitor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The overhead harness: bare training against training with each listener, side by side in one JVM.
 *
 * <p>Method. For each model, one network is built and warmed up with each configuration's listener. Then, for
 * {@code rounds} rounds, the network trains {@code iterations} iterations on the same fixed minibatch with each
 * configuration's listener in turn (swapped in, one untimed step, then timed), in an order that rotates each round,
 * so drift in machine speed hits all of them alike. Reported: the median over rounds of
 * milliseconds per iteration, its ratio to bare training, and heap bytes allocated per iteration by all JVM threads
 * (from {@code com.sun.management.ThreadMXBean}), minus the bare configuration's.
 *
 * <p>The time spent inside the monitor's callbacks is also measured directly (a wrapper times them): on a machine
 * whose speed drifts between runs, it is the steadier measure of what the monitor adds.
 *
 * <p>Run: {@code mvn -q -pl benchmarks -am compile exec:java [-Dexec.args="rounds iterations"]} (defaults 21 and 5).
 */
public final class OverheadBenchmark {

    private OverheadBenchmark() {
    }

    record Model(String name, Supplier<MultiLayerNetwork> net, DataSet batch) {
    }

    record Config(String name, Supplier<TrainingListener> listener) {
    }

    /** Wraps the monitor to time its two callbacks: the cost it adds, free of the machine's run-to-run noise. */
    static final class Timed extends org.deeplearning4j.optimize.api.BaseTrainingListener {
        final GradientMonitor monitor;
        long nanos;
        long iterations;

        Timed(GradientMonitor monitor) {
            this.monitor = monitor;
        }

        @Override
        public void onGradientCalculation(org.deeplearning4j.nn.api.Model model) {
            long t0 = System.nanoTime();
            monitor.onGradientCalculation(model);
            nanos += System.nanoTime() - t0;
        }

        @Override
        public void iterationDone(org.deeplearning4j.nn.api.Model model, int iteration, int epoch) {
            long t0 = System.nanoTime();
            monitor.iterationDone(model, iteration, epoch);
            nanos += System.nanoTime() - t0;
            iterations++;
        }
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 21;
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<Config> configs = List.of(
                new Config("bare", () -> null),
                new Config("GradientMonitor every iteration (defaults: stats + detectors)",
                        () -> new Timed(GradientMonitor.builder().logAlerts(false).build())),
                new Config("GradientMonitor every iteration, threads(2)",
                        () -> new Timed(GradientMonitor.builder().logAlerts(false).threads(2).build())),
                new Config("StatsListener every iteration",
                        () -> new StatsListener(new InMemoryStatsStorage(), 1)),
                new Config("StatsListener every 10th", () -> new StatsListener(new InMemoryStatsStorage(), 10)));
        List<Model> models = List.of(
                new Model("MLP 784-512-512-256-10, batch 64, Adam", OverheadBenchmark::mlp, batch(64, 784, 10)),
                new Model("CNN LeNet-like 28x28x1, batch 64, Adam", OverheadBenchmark::cnn, images(64)),
                new Model("LSTM 2x64, 50 steps, batch 32, Adam", OverheadBenchmark::lstm, sequences(32, 16, 5, 50)));
        System.out.printf("rounds=%d iterations/round=%d cores=%d%n", rounds, iterations,
                Runtime.getRuntime().availableProcessors());
        System.out.println("statistics kernels: " + (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                ? "Vector API (jdk.incubator.vector added)" : "portable loop"));
        System.out.println("| model | configuration | ms/iteration (median) | ratio to bare | time in monitor callbacks "
                + "(ms/iteration, % of bare, ratio) | extra heap bytes/iteration |");
        System.out.println("|---|---|---:|---:|---:|---:|");
        for (Model model : models) {
            measure(model, configs, rounds, iterations);
        }
    }

    private static void measure(Model model, List<Config> configs, int rounds, int iterations) {
        // One network, listeners swapped between runs: separate network instances differ in speed on this kind of
        // machine (seen: 11 vs 17 ms for identical bare MLPs), which would swamp the difference being measured.
        MultiLayerNetwork net = model.net.get();
        Map<Config, TrainingListener> listeners = new LinkedHashMap<>();
        for (Config c : configs) {
            TrainingListener l = c.listener.get();
            listeners.put(c, l);
            attach(net, l);
            for (int i = 0; i < 10; i++) {
                net.fit(model.batch);
            }
            if (l instanceof Timed t) {
                t.nanos = 0;
                t.iterations = 0;
            }
        }
        Map<Config, double[]> millis = new LinkedHashMap<>();
        Map<Config, double[]> bytes = new LinkedHashMap<>();
        for (Config c : configs) {
            millis.put(c, new double[rounds]);
            bytes.put(c, new double[rounds]);
        }
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < configs.size(); k++) {
                Config c = configs.get((k + r) % configs.size());
                attach(net, listeners.get(c));
                net.fit(model.batch); // one untimed step after the swap
                long b0 = allocatedBytes();
                long t0 = System.nanoTime();
                for (int i = 0; i < iterations; i++) {
                    net.fit(model.batch);
                }
                long t1 = System.nanoTime();
                long b1 = allocatedBytes();
                millis.get(c)[r] = (t1 - t0) / 1e6 / iterations;
                bytes.get(c)[r] = (double) (b1 - b0) / iterations;
            }
        }
        double bare = median(millis.get(configs.get(0)));
        double bareBytes = median(bytes.get(configs.get(0)));
        for (Config c : configs) {
            double ms = median(millis.get(c));
            String inCallbacks = "";
            if (listeners.get(c) instanceof Timed t && t.iterations > 0) {
                double cb = t.nanos / 1e6 / t.iterations;
                inCallbacks = String.format("%.3f ms, %.1f%% (%.3fx)", cb, 100 * cb / bare, 1 + cb / bare);
            }
            System.out.printf("| %s | %s | %.2f | %.3fx | %s | %s |%n", model.name, c.name, ms, ms / bare,
                    inCallbacks, c == configs.get(0) ? String.format("(bare: %.0f)", bareBytes)
                            : String.format("%.0f", median(bytes.get(c)) - bareBytes));
        }
    }

    private static void attach(MultiLayerNetwork net, TrainingListener l) {
        if (l == null) {
            net.setListeners(new ArrayList<TrainingListener>());
        } else {
            net.setListeners(l);
        }
    }

    private static long allocatedBytes() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] ids = mx.getAllThreadIds();
        long sum = 0;
        for (long a : mx.getThreadAllocatedBytes(ids)) {
            if (a > 0) {
                sum += a;
            }
        }
        return sum;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static MultiLayerNetwork mlp() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(1e-3))
                .weightInit(WeightInit.RELU).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(512).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(512).nOut(512).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(512).nOut(256).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(256).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static MultiLayerNetwork cnn() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(1e-3))
                .weightInit(WeightInit.RELU).list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(20).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(50).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new DenseLayer.Builder().nOut(500).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static MultiLayerNetwork lstm() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(1e-3))
                .weightInit(WeightInit.XAVIER).list()
                .layer(new LSTM.Builder().nIn(16).nOut(64).activation(Activation.TANH).build())
                .layer(new LSTM.Builder().nIn(64).nOut(64).activation(Activation.TANH).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(64).nOut(5)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static DataSet batch(int n, int nIn, int classes) {
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, n, nIn);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, classes);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, i % classes, 1);
        }
        return new DataSet(x, y);
    }

    static DataSet images(int n) {
        return batch(n, 28 * 28, 10);
    }

    static DataSet sequences(int n, int nIn, int classes, int length) {
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.rand(DataType.FLOAT, n, nIn, length);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, classes, length);
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < length; t++) {
                y.putScalar(new int[] {i, (i + t) % classes, t}, 1);
            }
        }
        return new DataSet(x, y);
    }

}
