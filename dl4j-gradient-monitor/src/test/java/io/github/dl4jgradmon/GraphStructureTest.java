package io.github.dl4jgradmon;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.clip.GradientClipping;
import io.github.dl4jgradmon.model.LayerGraph;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9, finding 6: on graphs that are not chains, "first layer" and "last layer" in topological order are the
 * wrong pair. A 2-input/2-output ComputationGraph (inputs A and B, each through its own dense layer, merged, a shared
 * layer, two output heads) and a MultiLayerNetwork ending in a parameter-free LossLayer.
 */
class GraphStructureTest {

    private static ComputationGraph twoInTwoOut() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).updater(new Sgd(0.05))
                .weightInit(WeightInit.XAVIER).graphBuilder()
                .addInputs("inA", "inB")
                .addLayer("a1", new DenseLayer.Builder().nIn(4).nOut(8).activation(Activation.TANH).build(), "inA")
                .addLayer("b1", new DenseLayer.Builder().nIn(3).nOut(8).activation(Activation.TANH).build(), "inB")
                .addVertex("merge", new MergeVertex(), "a1", "b1")
                .addLayer("shared", new DenseLayer.Builder().nIn(16).nOut(8).activation(Activation.TANH).build(),
                        "merge")
                .addLayer("out1", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "shared")
                .addLayer("out2", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(8).nOut(2)
                        .activation(Activation.IDENTITY).build(), "shared")
                .setOutputs("out1", "out2")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    private static MultiDataSet twoInTwoOutData(long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray y1 = Nd4j.zeros(DataType.FLOAT, 16, 3);
        for (int i = 0; i < 16; i++) {
            y1.putScalar(i, i % 3, 1.0);
        }
        return new MultiDataSet(new INDArray[] {Nd4j.rand(DataType.FLOAT, 16, 4), Nd4j.rand(DataType.FLOAT, 16, 3)},
                new INDArray[] {y1, Nd4j.rand(DataType.FLOAT, 16, 2)});
    }

    /** The trainable vertices in topological order. */
    private static List<String> topologicalLayers(ComputationGraph graph) {
        List<String> out = new ArrayList<>();
        GraphVertex[] vertices = graph.getVertices();
        for (int i : graph.topologicalSortOrder()) {
            if (vertices[i].numParams() > 0) {
                out.add(vertices[i].getVertexName());
            }
        }
        return out;
    }

    /** Runs an action on the raw gradient of a graph, before the monitor sees it. */
    private static final class OnGradient extends BaseTrainingListener {
        private final Consumer<ComputationGraph> action;

        OnGradient(Consumer<ComputationGraph> action) {
            this.action = action;
        }

        @Override
        public void onGradientCalculation(Model model) {
            action.accept((ComputationGraph) model);
        }
    }

    /** Copies each layer's gradient as the listener sees it. */
    private static final class GradientCopies extends BaseTrainingListener {
        final Map<String, INDArray> copies = new HashMap<>();

        @Override
        public void onGradientCalculation(Model model) {
            ComputationGraph g = (ComputationGraph) model;
            for (GraphVertex v : g.getVertices()) {
                if (v.numParams() > 0) {
                    copies.put(v.getVertexName(), v.getLayer().getGradientsViewArray().dup());
                }
            }
        }
    }

    @Test
    void theInputBranchThatIsNotFirstInTopologicalOrderStillGetsTheVanishingRule() {
        ComputationGraph graph = twoInTwoOut();
        List<String> order = topologicalLayers(graph);
        String other = order.get(0).equals("a1") ? "b1" : "a1"; // an input-side layer that is not first in topo order
        GradientMonitor monitor = GradientMonitor.builder().logAlerts(false).build();
        graph.setListeners(new OnGradient(g -> g.getVertex(other).getLayer().getGradientsViewArray().muli(1e-7)),
                monitor);
        MultiDataSet data = twoInTwoOutData(1);
        for (int i = 0; i < 8; i++) {
            graph.fit(data);
        }
        assertThat(monitor.alerts()).filteredOn(a -> a.type() == AlertType.VANISHING).isNotEmpty()
                .allSatisfy(a -> assertThat(a.layer()).isEqualTo(other));
    }

    @Test
    void agcLeavesEveryLayerThatFeedsAnOutputAlone() {
        ComputationGraph graph = twoInTwoOut();
        GradientCopies before = new GradientCopies();
        GradientCopies after = new GradientCopies();
        GradientMonitor monitor = GradientMonitor.builder().logAlerts(false).clipping(GradientClipping.agc(1e-6))
                .build();
        graph.setListeners(before, monitor, after);
        graph.fit(twoInTwoOutData(2));
        for (String head : List.of("out1", "out2")) {
            assertThat(after.copies.get(head)).as(head).isEqualTo(before.copies.get(head));
        }
        for (String inner : List.of("a1", "b1", "shared")) {
            double ratio = after.copies.get(inner).norm2Number().doubleValue()
                    / before.copies.get(inner).norm2Number().doubleValue();
            assertThat(ratio).as(inner + " clipped").isLessThan(0.5);
        }
    }

    @Test
    void nonFiniteGradientsInBothHeadsNameBothAsOrigins() {
        ComputationGraph graph = twoInTwoOut();
        GradientMonitor monitor = GradientMonitor.builder().logAlerts(false).build();
        graph.setListeners(new OnGradient(g -> {
            g.getVertex("out1").getLayer().getGradientsViewArray().putScalar(0, Double.NaN);
            g.getVertex("out2").getLayer().getGradientsViewArray().putScalar(0, Double.NaN);
        }), monitor);
        graph.fit(twoInTwoOutData(3));
        List<GradientAlert> nonFinite = monitor.alerts().stream().filter(a -> a.type() == AlertType.NON_FINITE)
                .toList();
        assertThat(nonFinite).singleElement().satisfies(a -> {
            assertThat(a.message()).contains("2 layers").contains("out1").contains("out2");
        });
    }

    @Test
    void anMlnEndingInALossLayerPairsItsFirstDenseLayerWithTheLastOneThatHasParameters() {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(6).updater(new Sgd(0.05))
                .weightInit(WeightInit.XAVIER).list();
        list.layer(new DenseLayer.Builder().nIn(6).nOut(8).activation(Activation.TANH).build());
        list.layer(new DenseLayer.Builder().nIn(8).nOut(8).activation(Activation.TANH).build());
        list.layer(new DenseLayer.Builder().nIn(8).nOut(3).activation(Activation.IDENTITY).build());
        list.layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        GradientMonitor monitor = GradientMonitor.builder().logAlerts(false).build();
        net.setListeners(new BaseTrainingListener() {
            @Override
            public void onGradientCalculation(Model model) {
                ((MultiLayerNetwork) model).getLayer(0).getGradientsViewArray().muli(1e-7);
            }
        }, monitor);
        DataSet data = Nets.classification(4, 16, 6, 3);
        for (int i = 0; i < 8; i++) {
            net.fit(data);
        }
        assertThat(monitor.alerts()).filteredOn(a -> a.type() == AlertType.VANISHING).first()
                .satisfies(a -> {
                    assertThat(a.layer()).isEqualTo("layer0");
                    assertThat(a.message()).contains("'layer2'"); // compared with the dense layer before the LossLayer
                });
    }

    @Test
    void theLayoutKnowsWhichLayersAreFedByTheInputsAndWhichFeedTheOutputs() {
        ComputationGraph graph = twoInTwoOut();
        GradientMonitor monitor = GradientMonitor.builder().logAlerts(false).build();
        graph.setListeners(monitor);
        graph.fit(twoInTwoOutData(5));
        GradientSnapshot s = monitor.latest().orElseThrow();
        List<String> names = s.layers().stream().map(LayerGradientStats::name).toList();
        LayerGraph g = s.graph();
        assertThat(g.inputSideLayers().stream().map(names::get)).containsExactlyInAnyOrder("a1", "b1");
        assertThat(g.outputSideLayers().stream().map(names::get)).containsExactlyInAnyOrder("out1", "out2");
        int a1 = names.indexOf("a1");
        int shared = names.indexOf("shared");
        assertThat(g.reaches(a1, names.indexOf("out2"))).isTrue();
        assertThat(g.reaches(a1, names.indexOf("b1"))).as("sibling branches").isFalse();
        assertThat(g.reaches(shared, a1)).as("no path upstream").isFalse();
        assertThat(g.successorCount(a1)).as("a1 feeds shared through the merge vertex").isEqualTo(1);
        assertThat(names.get(g.successor(a1, 0))).isEqualTo("shared");
    }

    @Test
    void anMlnEndingInALossLayerIsAChainWhoseLastParameterLayerFeedsTheOutput() {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(6).updater(new Sgd(0.05))
                .weightInit(WeightInit.XAVIER).list();
        list.layer(new DenseLayer.Builder().nIn(6).nOut(8).activation(Activation.TANH).build());
        list.layer(new DenseLayer.Builder().nIn(8).nOut(3).activation(Activation.IDENTITY).build());
        list.layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        GradientMonitor monitor = GradientMonitor.builder().logAlerts(false).clipping(GradientClipping.agc(1e-6))
                .build();
        net.setListeners(monitor);
        net.fit(Nets.classification(7, 16, 6, 3));
        LayerGraph g = monitor.latest().orElseThrow().graph();
        assertThat(g.size()).isEqualTo(2);
        assertThat(g.inputSideLayers()).containsExactly(0);
        assertThat(g.outputSideLayers()).as("the dense layer before the parameter-free LossLayer").containsExactly(1);
        assertThat(monitor.latest().orElseThrow().reaction().layerFactors()).as("AGC leaves the classifier alone")
                .containsKey("layer0").doesNotContainKey("layer1");
    }
}
