package io.github.dl4jgradmon;

import io.github.dl4jgradmon.stats.BufferPath;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GradientMonitorGraphTest {

    @AfterEach
    void defaultPath() {
        TestPaths.reset();
    }

    /** A residual graph whose vertex names contain underscores and whose paramless vertices sit between layers. */
    static ComputationGraph residualGraph() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(7).updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("in")
                .addLayer("dense_in", new DenseLayer.Builder().nIn(12).nOut(16).activation(Activation.RELU).build(),
                        "in")
                .addLayer("block_1_a", new DenseLayer.Builder().nIn(16).nOut(16).activation(Activation.RELU).build(),
                        "dense_in")
                .addLayer("block_1_b", new DenseLayer.Builder().nIn(16).nOut(16).activation(Activation.IDENTITY)
                        .build(), "block_1_a")
                .addVertex("skip_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "dense_in", "block_1_b")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nIn(16).nOut(4).build(), "skip_add")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    @ParameterizedTest
    @EnumSource(BufferPath.class)
    void graphStatisticsMatchTheSgdParameterChangeInTopologicalOrder(BufferPath path) {
        TestPaths.use(path);
        ComputationGraph graph = residualGraph();
        GradientMonitor monitor = GradientMonitor.builder().build();
        graph.addListeners(monitor);
        DataSet data = Nets.classification(11, 16, 12, 4);
        graph.fit(data);
        Map<String, INDArray> before = Nets.paramCopies(graph.paramTable());
        graph.fit(data);
        Map<String, INDArray> after = Nets.paramCopies(graph.paramTable());

        GradientSnapshot s = monitor.latest().orElseThrow();
        assertThat(s.layers()).extracting(LayerGradientStats::name)
                .containsExactly(topologicalLayerNames(graph).toArray(new String[0]));
        assertThat(s.layers()).extracting(LayerGradientStats::name)
                .containsExactlyInAnyOrder("dense_in", "block_1_a", "block_1_b", "out");
        assertThat(s.layers()).extracting(LayerGradientStats::index).isSorted();
        SgdOracle.checkSnapshot(s, before, after, SgdOracle::cgKey, 0.1, 0.05);
        TestPaths.check(monitor);
    }

    private static List<String> topologicalLayerNames(ComputationGraph graph) {
        List<String> names = new ArrayList<>();
        for (int i : graph.topologicalSortOrder()) {
            var v = graph.getVertices()[i];
            if (v.numParams() > 0) {
                names.add(v.getVertexName());
            }
        }
        return names;
    }
}
