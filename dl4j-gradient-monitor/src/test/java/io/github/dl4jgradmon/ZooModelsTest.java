package io.github.dl4jgradmon;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.zoo.model.ResNet50;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9, finding 3, on a real zoo model: a freshly built ResNet50 (init(), no pretrained weights, 96x96 input) has a
 * global gradient norm in the tens of thousands at its first step. That is its size, not an explosion: no absolute
 * ceiling may fire, and whatever fires is one alert per type and iteration.
 */
class ZooModelsTest {

    @Test
    void aFreshResNet50RaisesNoExplodingWarningAndAtMostOneAlertPerTypeAndIteration() {
        ComputationGraph net = ResNet50.builder().numClasses(4).inputShape(new int[] {3, 96, 96}).seed(1).build()
                .init();
        GradientMonitor monitor = GradientMonitor.builder().logAlerts(false).alertRepeatInterval(1).build();
        net.addListeners(monitor);
        Nd4j.getRandom().setSeed(1);
        for (int i = 0; i < 2; i++) {
            INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 96, 96);
            INDArray y = Nd4j.zeros(DataType.FLOAT, 2, 4);
            y.putScalar(0, i % 4, 1);
            y.putScalar(1, (i + 1) % 4, 1);
            net.fit(new MultiDataSet(x, y));
        }
        assertThat(monitor.history()).hasSize(2);
        assertThat(monitor.history().get(0).globalGradientNorm()).as("far above the old 1e3 ceiling")
                .isGreaterThan(1e3);
        assertThat(monitor.alerts()).noneMatch(a -> a.type() == AlertType.EXPLODING
                && a.severity().isAtLeast(Severity.WARNING));
        Map<String, List<GradientAlert>> perTypeAndIteration = monitor.alerts().stream()
                .collect(Collectors.groupingBy(a -> a.type() + "@" + a.iteration()));
        assertThat(perTypeAndIteration.values()).allSatisfy(list -> assertThat(list).hasSize(1));
    }
}
