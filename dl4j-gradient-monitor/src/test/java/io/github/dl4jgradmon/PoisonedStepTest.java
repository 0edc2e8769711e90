package io.github.dl4jgradmon;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.GradientAlertException;
import io.github.dl4jgradmon.clip.GradientClipping;
import io.github.dl4jgradmon.detect.DetectorSuite;
import io.github.dl4jgradmon.stats.BufferPath;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import org.assertj.core.api.Assertions;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PoisonedStepTest {

    @AfterEach
    void defaultPath() {
        TestPaths.reset();
    }

    /** Puts a NaN into the raw gradient at the given iterations (MLN or CG). */
    private static final class NanGradient extends BaseTrainingListener {
        private final List<Integer> at;

        NanGradient(Integer... at) {
            this.at = List.of(at);
        }

        @Override
        public void onGradientCalculation(Model model) {
            int it = model instanceof MultiLayerNetwork m ? m.getIterationCount()
                    : ((ComputationGraph) model).getIterationCount();
            if (at.contains(it)) {
                model.getGradientsViewArray().putScalar(3, Double.NaN);
            }
        }
    }

    private static MultiLayerNetwork adamNet() {
        return Nets.mlp(new Adam(0.01), DataType.FLOAT, 6, 8, 3);
    }

    @ParameterizedTest
    @EnumSource(BufferPath.class)
    void aNanGradientStepLeavesParamsAndAdamStateBitIdenticalThenTrainingGoesOn(BufferPath path) {
        TestPaths.use(path);
        MultiLayerNetwork net = adamNet();
        GradientMonitor monitor = GradientMonitor.builder().skipNonFiniteSteps(true).build();
        net.setListeners(new NanGradient(3), monitor);
        DataSet data = Nets.classification(1, 8, 6, 3);
        for (int i = 0; i < 3; i++) {
            net.fit(data);
        }
        INDArray params = net.params().dup();
        INDArray state = net.getUpdater().getStateViewArray().dup();

        net.fit(data); // iteration 3: poisoned

        assertThat(net.params()).as("params bit-identical").isEqualTo(params);
        assertThat(net.getUpdater().getStateViewArray()).as("Adam moments bit-identical").isEqualTo(state);
        assertThat(net.getIterationCount()).isEqualTo(4);
        assertThat(monitor.alerts()).extracting(GradientAlert::type).contains(AlertType.STEP_SKIPPED);
        assertThat(monitor.latest().orElseThrow().reaction().stepSkipped()).isTrue();

        net.fit(data); // iteration 4: clean again
        assertThat(net.params()).isNotEqualTo(params);
        assertThat(net.params().isNaN().any()).isFalse();
        assertThat(monitor.latest().orElseThrow().reaction().stepSkipped()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(BufferPath.class)
    void aBatchWithNanLabelsIsSkippedOnAGraphToo(BufferPath path) {
        TestPaths.use(path);
        ComputationGraph graph = GradientMonitorGraphTest.residualGraph();
        graph.setLearningRate(0.05);
        GradientMonitor monitor = GradientMonitor.builder().skipNonFiniteSteps(true).build();
        graph.setListeners(monitor);
        DataSet clean = Nets.classification(2, 8, 12, 4);
        graph.fit(clean);
        DataSet poisoned = clean.copy();
        poisoned.getLabels().putScalar(0, 0, Double.NaN);
        INDArray params = graph.params().dup();

        graph.fit(poisoned);

        assertThat(graph.params()).isEqualTo(params);
        assertThat(monitor.alerts()).extracting(GradientAlert::type).contains(AlertType.STEP_SKIPPED);
        graph.fit(clean);
        assertThat(graph.params()).isNotEqualTo(params);
        assertThat(graph.params().isNaN().any()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(BufferPath.class)
    void exceedingTheSkipBudgetStopsTrainingWithTheTypedException(BufferPath path) {
        TestPaths.use(path);
        MultiLayerNetwork net = adamNet();
        GradientMonitor monitor = GradientMonitor.builder().skipNonFiniteSteps(StepBudget.of(2, 10, 100)).build();
        net.setListeners(new NanGradient(1, 2, 3), monitor);
        DataSet data = Nets.classification(1, 8, 6, 3);
        net.fit(data);
        net.fit(data);
        net.fit(data); // two in a row: still within budget

        assertThatThrownBy(() -> net.fit(data))
                .isInstanceOf(GradientAlertException.class)
                .hasMessageContaining("skip budget")
                .satisfies(e -> assertThat(((GradientAlertException) e).alert().iteration()).isEqualTo(3));
    }

    @Test
    void withoutSkippingANanStepIsApplied() {
        MultiLayerNetwork net = adamNet();
        net.setListeners(new NanGradient(0), GradientMonitor.builder().build());
        net.fit(Nets.classification(1, 8, 6, 3));
        assertThat(net.params().isNaN().any()).as("the control: DL4J applies the poisoned step").isTrue();
    }


    @Test
    void learningRateBacksOffAfterRepeatedExplosionsDownToTheFloor() {
        MultiLayerNetwork net = Nets.mlp(new Adam(0.01), DataType.FLOAT, 6, 8, 3);
        GradientMonitor monitor = GradientMonitor.builder().logAlerts(false)
                .detectors(DetectorSuite.builder().disableAll().add(new AlwaysExploding()).build())
                .learningRateBackoff(new LearningRateBackoff(0.5, 0.003, 2, 10))
                .build();
        net.setListeners(monitor);
        DataSet data = Nets.classification(1, 8, 6, 3);
        net.fit(data);
        assertThat(net.getLearningRate(0)).isEqualTo(0.01);
        net.fit(data); // second alert within the window
        assertThat(net.getLearningRate(0)).isCloseTo(0.005, Assertions.within(1e-12));
        assertThat(net.getLearningRate(1)).isCloseTo(0.005, Assertions.within(1e-12));
        net.fit(data);
        net.fit(data);
        assertThat(net.getLearningRate(0)).as("floor").isCloseTo(0.003, Assertions.within(1e-12));
        assertThat(monitor.alerts()).extracting(GradientAlert::type).contains(AlertType.LR_REDUCED);
    }

    @ParameterizedTest
    @EnumSource(BufferPath.class)
    void reactionsSeeEveryIterationWhileStatisticsFollowTheFrequency(BufferPath path) {
        TestPaths.use(path);
        MultiLayerNetwork net = adamNet();
        GradientMonitor monitor = GradientMonitor.builder().frequency(4).skipNonFiniteSteps(true).build();
        net.setListeners(new NanGradient(5), monitor);
        DataSet data = Nets.classification(1, 8, 6, 3);
        for (int i = 0; i < 5; i++) {
            net.fit(data);
        }
        INDArray params = net.params().dup();

        net.fit(data); // iteration 5: not a reported iteration, still guarded

        assertThat(net.params()).isEqualTo(params);
        assertThat(monitor.history()).extracting(GradientSnapshot::iteration).containsExactly(0L, 4L);
        assertThat(monitor.alerts()).extracting(GradientAlert::type).containsExactly(AlertType.STEP_SKIPPED);
    }

    @Test
    void aNetworkWithoutTrainableLayersIsMonitoredWithoutFaults() {
        var conf = new NeuralNetConfiguration.Builder().updater(new Adam(0.01)).list()
                .layer(new FrozenLayer(
                        new DenseLayer.Builder().nIn(6).nOut(4).build()))
                // output layers cannot be frozen; a NoOp updater leaves it untrained too
                .layer(new OutputLayer.Builder().nIn(4).nOut(3)
                        .updater(new NoOp())
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        GradientMonitor monitor = GradientMonitor.builder().clipping(GradientClipping
                .globalNorm(1.0)).build();
        net.setListeners(monitor);
        net.fit(Nets.classification(1, 8, 6, 3));

        assertThat(monitor.latest().orElseThrow().layers()).isEmpty();
        assertThat(monitor.latest().orElseThrow().globalGradientNorm()).isZero();
        assertThat(monitor.faultCount()).isZero();
    }

    @Test
    void badReactionSettingsAreRejected() {
        assertThatThrownBy(() -> StepBudget.of(-1, 1, 1)).hasMessage("maxConsecutive must be >= 0 (got: -1)");
        assertThatThrownBy(() -> StepBudget.of(1, 1, 0)).hasMessage("windowIterations must be >= 1 (got: 0)");
        assertThatThrownBy(() -> new LearningRateBackoff(1.5, 0, 1, 1)).hasMessage("factor must be in (0, 1) (got: 1.5)");
        assertThatThrownBy(() -> new LearningRateBackoff(0.5, -1, 1, 1)).hasMessageContaining("floor");
        assertThatThrownBy(() -> GradientMonitor.builder().clipping(null)).hasMessageContaining("clipping");
    }
}
