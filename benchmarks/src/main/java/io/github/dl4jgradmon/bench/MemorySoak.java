package io.github.dl4jgradmon.bench;

import io.github.dl4jgradmon.GradientMonitor;
import io.github.dl4jgradmon.clip.GradientClipping;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;

/**
 * Memory soak: a small network trains for many iterations with the monitor on its defaults plus clipping (every
 * iteration, detectors on, history bounded at 1,000 snapshots). Every checkpoint forces a GC and prints the heap in
 * use: it must level off once the bounded history is full, however long training runs.
 *
 * <p>Run: {@code mvn -q -pl benchmarks -am compile exec:java -Dexec.mainClass=io.github.dl4jgradmon.bench.MemorySoak
 * [-Dexec.args="iterations checkpoints"]} (defaults 200,000 and 10).
 */
public final class MemorySoak {

    private MemorySoak() {
    }

    public static void main(String[] args) {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int checkpoints = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .updater(new Adam(1e-3)).weightInit(WeightInit.RELU).list()
                .layer(new DenseLayer.Builder().nIn(16).nOut(32).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(32).nOut(32).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(32).nOut(4)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        GradientMonitor monitor = GradientMonitor.builder().logAlerts(false)
                .clipping(GradientClipping.autoClip()).build();
        net.setListeners(monitor);
        DataSet batch = OverheadBenchmark.batch(16, 16, 4);
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        System.out.println("| iterations | heap used after GC (MB) | snapshots retained | snapshots made | alerts |");
        System.out.println("|---:|---:|---:|---:|---:|");
        int every = iterations / checkpoints;
        for (int i = 1; i <= iterations; i++) {
            net.fit(batch);
            if (i % every == 0) {
                System.gc();
                System.gc();
                double mb = mem.getHeapMemoryUsage().getUsed() / 1e6;
                System.out.printf(Locale.ROOT, "| %d | %.1f | %d | %d | %d |%n", i, mb, monitor.history().size(),
                        monitor.snapshotCount(), monitor.alertCount());
            }
        }
    }
}
