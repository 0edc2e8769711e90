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
        MultiLayerNetwork one = Nets.mlp(new Adam(1e-2), type, 12, 32, 16, 4);
        MultiLayerNetwork two = Nets.mlp(new Adam(1e-2), type, 12, 32, 16, 4);
        GradientMonitor overlapped = GradientMonitor.builder().logAlerts(false).build();
        GradientMonitor inline = GradientMonitor.builder().overlapStatistics(false).logAlerts(false).build();
        assertThat(overlapped.overlapStatistics()).isTrue();
        one.setListeners(overlapped);
        two.setListeners(inline);
        for (int i = 0; i < 25; i++) {
            DataSet d = Nets.classification(100 + i, 16, 12, 4);
            one.fit(d);
            two.fit(d);
        }
        assertThat(one.params()).isEqualTo(two.params());
        assertSameSnapshots(overlapped, inline, 25);
        assertThat(overlapped.paramsReadAhead("0")).as("every step after the first").isEqualTo(24);
        assertThat(inline.paramsReadAhead("0")).isZero();
        assertThat(overlapped.alerts()).isEqualTo(inline.alerts());
        assertThat(overlapped.faultCount()).isZero();
    }

    @Test
    void aComputationGraphGetsTheSameSnapshotsEitherWay() {
        ComputationGraph one = GradientMonitorGraphTest.residualGraph();
        ComputationGraph two = GradientMonitorGraphTest.residualGraph();
        GradientMonitor overlapped = GradientMonitor.builder().logAlerts(false).build();
        GradientMonitor inline = GradientMonitor.builder().overlapStatistics(false).logAlerts(false).build();
        one.setListeners(overlapped);
        two.setListeners(inline);
        for (int i = 0; i < 15; i++) {
            DataSet d = Nets.classification(200 + i, 8, 12, 4);
            one.fit(d);
            two.fit(d);
        }
        assertSameSnapshots(overlapped, inline, 15);
        assertThat(overlapped.paramsReadAhead("0")).isEqualTo(14);
    }

    @Test
    void aStepAbortedAfterThePassesLeavesTheNextStepsExact() {
        MultiLayerNetwork one = Nets.mlp(new Adam(1e-2), DataType.FLOAT, 12, 32, 4);
        MultiLayerNetwork two = Nets.mlp(new Adam(1e-2), DataType.FLOAT, 12, 32, 4);
        GradientMonitor overlapped = GradientMonitor.builder().logAlerts(false).build();
        GradientMonitor inline = GradientMonitor.builder().overlapStatistics(false).logAlerts(false).build();
        one.setListeners(overlapped, new FailOnce(3));
        two.setListeners(inline, new FailOnce(3));
        for (int i = 0; i < 8; i++) {
            DataSet d = Nets.classification(300 + i, 16, 12, 4);
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
    }
}
