package io.github.dl4jgradmon.samples;

import io.github.dl4jgradmon.GradientMonitor;
import io.github.dl4jgradmon.cli.SyntheticData;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * What it teaches: the monitor on a ComputationGraph (a residual network: layers are reported by vertex name in
 * topological order; the skip connection keeps the first layer's gradient as large as the last one's) and under
 * ParallelWrapper (one monitor instance, two worker threads, each with its own model: statistics are kept per worker
 * and {@code history("0")}, {@code history("1")} give each worker's own).
 *
 * <p>Run: {@code mvn -q -pl samples -am compile exec:java -Dexec.args="graph-parallel"}
 */
public final class GraphAndParallelSample {

    private GraphAndParallelSample() {
    }

    /** The graph's monitor and the ParallelWrapper run's monitor. */
    public record Outcome(GradientMonitor graph, GradientMonitor parallel) {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    public static Outcome run(PrintStream out) {
        List<DataSet> data = SyntheticData.classification(21, 60, 32, 20, 4);
        GradientMonitor graphMonitor = trainResidualGraph(data);
        List<GradientSnapshot> h = graphMonitor.history();
        GradientProfile.print(out, "Residual ComputationGraph (vertex names, topological order)",
                h.subList(h.size() / 2, h.size()));
        out.printf(Locale.ROOT, "  alerts: %d%n", graphMonitor.alerts().size());

        GradientMonitor parallel = trainParallel(data);
        out.printf(Locale.ROOT, "ParallelWrapper, 2 workers, one monitor: workers %s%n", parallel.workers());
        for (String worker : parallel.workers()) {
            List<GradientSnapshot> own = parallel.history(worker);
            GradientSnapshot last = own.get(own.size() - 1);
            out.printf(Locale.ROOT, "  worker %s: %d snapshots, last iteration %d, global gradient norm %.4f, loss %.4f%n", worker,
                    own.size(), last.iteration(), last.globalGradientNorm(), last.score());
        }
        return new Outcome(graphMonitor, parallel);
    }

    static GradientMonitor trainResidualGraph(List<DataSet> data) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(4).updater(new Adam(1e-3))
                .weightInit(WeightInit.RELU).graphBuilder()
                .addInputs("in")
                .addLayer("stem", new DenseLayer.Builder().nIn(20).nOut(32).activation(Activation.RELU).build(), "in")
                .addLayer("block_a", new DenseLayer.Builder().nIn(32).nOut(32).activation(Activation.RELU).build(),
                        "stem")
                .addLayer("block_b", new DenseLayer.Builder().nIn(32).nOut(32).activation(Activation.IDENTITY)
                        .build(), "block_a")
                .addVertex("residual", new ElementWiseVertex(ElementWiseVertex.Op.Add), "stem", "block_b")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(32).nOut(4)
                        .activation(Activation.SOFTMAX).build(), "residual")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        GradientMonitor monitor = Monitors.builder("residual-graph").historySize(data.size()).build();
        graph.addListeners(monitor);
        for (DataSet d : data) {
            graph.fit(d);
        }
        return monitor;
    }

    static GradientMonitor trainParallel(List<DataSet> data) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(4).updater(new Adam(1e-3))
                .weightInit(WeightInit.RELU).list()
                .layer(new DenseLayer.Builder().nIn(20).nOut(32).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(32).nOut(4)
                        .activation(Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        GradientMonitor monitor = Monitors.builder("parallel-wrapper").historySize(10 * data.size()).build();
        net.setListeners(monitor);
        ParallelWrapper wrapper = new ParallelWrapper.Builder<>(net).workers(2).prefetchBuffer(2)
                .averagingFrequency(5).build();
        wrapper.fit(new ListDataSetIterator<>(data, 1));
        wrapper.shutdown();
        return monitor;
    }
}
