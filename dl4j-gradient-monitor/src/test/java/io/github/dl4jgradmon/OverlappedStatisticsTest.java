package io.github.dl4jgradmon;

import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * With the parameters' pass run ahead on a helper thread during backpropagation (the default) the monitor publishes
 * the same snapshots, value for value, as with every pass on the training thread, and the same alerts.
 */
class OverlappedStatisticsTest {

    @AfterEach
    void defaultPath() {
        TestPaths.reset();
    }

    private static List<LayerGradientStats> layers(GradientSnapshot s) {
        return s.layers();
    }

    private static void assertSameSnapshots(GradientMonitor a, GradientMonitor b, int iterations) {
        List<GradientSnapshot> sa = a.history();
        List<GradientSnapshot> sb = b.history();
        assertThat(sa).hasSize(iterations);
        assertThat(sb).hasSize(iterations);
        for (int i = 0; i < iterations; i++) {
            assertThat(sa.get(i).iteration()).isEqualTo(sb.get(i).iteration());
            assertThat(layers(sa.get(i))).as("iteration %d", i).isEqualTo(layers(sb.get(i)));
            assertThat(sa.get(i).globalGradientNorm()).isEqualTo(sb.get(i).globalGradientNorm());
        }
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void aMultiLayerNetworkGetsTheSameSnapshotsEitherWay(DataType type) {
        // 700 x 400 weights: above ParamPass.MIN_ELEMENTS, so the parameters are read ahead
        MultiLayerNetwork one = Nets.mlp(new Adam(1e-3), type, 700, 400, 16, 4);
        MultiLayerNetwork two = Nets.mlp(new Adam(1e-3), type, 700, 400, 16, 4);
        GradientMonitor overlapped = GradientMonitor.builder().logAlerts(false).build();
        GradientMonitor inline = GradientMonitor.builder().overlapStatistics(false).logAlerts(false).build();
        assertThat(overlapped.overlapStatistics()).isTrue();
        one.setListeners(overlapped);
        two.setListeners(inline);
        for (int i = 0; i < 25; i++) {
            DataSet d = Nets.classification(100 + i, 16, 700, 4);
            one.fit(d);
            two.fit(d);
        }
        assertThat(one.params()).isEqualTo(two.params());
        assertSameSnapshots(overlapped, inline, 25);
        assertThat(overlapped.paramsReadAhead("0")).as("every step after the first").isEqualTo(24);
        assertThat(inline.paramsReadAhead("0")).isZero();
        assertThat(one.numParams()).isGreaterThanOrEqualTo(io.github.dl4jgradmon.stats.ParamPass.MIN_ELEMENTS);
        assertThat(overlapped.alerts()).isEqualTo(inline.alerts());
        assertThat(overlapped.faultCount()).isZero();
    }

    @Test
    void aComputationGraphGetsTheSameSnapshotsEitherWay() {
        ComputationGraph one = wideGraph();
        ComputationGraph two = wideGraph();
        GradientMonitor overlapped = GradientMonitor.builder().logAlerts(false).build();
        GradientMonitor inline = GradientMonitor.builder().overlapStatistics(false).logAlerts(false).build();
        one.setListeners(overlapped);
        two.setListeners(inline);
        for (int i = 0; i < 15; i++) {
            DataSet d = Nets.classification(200 + i, 8, 700, 4);
            one.fit(d);
            two.fit(d);
        }
        assertSameSnapshots(overlapped, inline, 15);
        assertThat(overlapped.paramsReadAhead("0")).isEqualTo(14);
    }

    @Test
    void aSmallModelsParametersAreReadInline() {
        ComputationGraph net = GradientMonitorGraphTest.residualGraph();
        GradientMonitor monitor = GradientMonitor.builder().logAlerts(false).build();
        net.setListeners(monitor);
        for (int i = 0; i < 5; i++) {
            net.fit(Nets.classification(200 + i, 8, 12, 4));
        }
        assertThat(monitor.history()).hasSize(5);
        assertThat(monitor.paramsReadAhead("0")).as("below ParamPass.MIN_ELEMENTS").isZero();
    }

    @Test
    void aStepAbortedAfterThePassesLeavesTheNextStepsExact() {
        MultiLayerNetwork one = Nets.mlp(new Adam(1e-3), DataType.FLOAT, 700, 400, 4);
        MultiLayerNetwork two = Nets.mlp(new Adam(1e-3), DataType.FLOAT, 700, 400, 4);
        GradientMonitor overlapped = GradientMonitor.builder().logAlerts(false).build();
        GradientMonitor inline = GradientMonitor.builder().overlapStatistics(false).logAlerts(false).build();
        one.setListeners(overlapped, new FailOnce(3));
        two.setListeners(inline, new FailOnce(3));
        for (int i = 0; i < 8; i++) {
            DataSet d = Nets.classification(300 + i, 16, 700, 4);
            if (i == 3) {
                assertThatThrownBy(() -> one.fit(d)).hasMessageContaining("another listener");
                assertThatThrownBy(() -> two.fit(d)).hasMessageContaining("another listener");
            } else {
                one.fit(d);
                two.fit(d);
            }
        }
        List<GradientSnapshot> a = overlapped.history();
        List<GradientSnapshot> b = inline.history();
        assertThat(a).extracting(GradientSnapshot::iteration).isEqualTo(
                b.stream().map(GradientSnapshot::iteration).toList());
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).layers()).isEqualTo(b.get(i).layers());
        }
        assertThat(overlapped.faultCount()).isZero();
        assertThat(overlapped.paramsReadAhead("0")).isPositive();
    }

    /** A two-branch graph of about 300K parameters, above ParamPass.MIN_ELEMENTS. */
    private static ComputationGraph wideGraph() {
        org.deeplearning4j.nn.conf.ComputationGraphConfiguration conf =
                new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().seed(7).updater(new Adam(1e-3))
                        .weightInit(org.deeplearning4j.nn.weights.WeightInit.XAVIER).graphBuilder()
                        .addInputs("in")
                        .addLayer("a", new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nIn(700).nOut(200)
                                .activation(org.nd4j.linalg.activations.Activation.RELU).build(), "in")
                        .addLayer("b", new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nIn(700).nOut(200)
                                .activation(org.nd4j.linalg.activations.Activation.TANH).build(), "in")
                        .addVertex("merge", new org.deeplearning4j.nn.conf.graph.MergeVertex(), "a", "b")
                        .addLayer("out", new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder(
                                org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.MCXENT)
                                .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).nIn(400).nOut(4).build(),
                                "merge")
                        .setOutputs("out").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }
}
