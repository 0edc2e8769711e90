package io.github.dl4jgradmon;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.lang.ref.WeakReference;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link GradientMonitor#continueOn}: a new model object of the same layout continues the worker's state (here the
 * VANISHING window of 5 snapshots, which 3 steps on one model and 2 on the next fill only together); another layout
 * starts afresh; a step pending on the previous model never reaches the new one.
 */
class ContinueOnTest {

    private static final int BATCH = 16;
    private static final int N_IN = 4;
    private static final int N_OUT = 3;

    /** {@code depth} sigmoid layers of {@code width} under a softmax: the first layer's gradient vanishes. */
    private static MultiLayerNetwork deepSigmoid(int depth, int width, long seed) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(seed)
                .dataType(DataType.DOUBLE).updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).list();
        for (int i = 0; i < depth; i++) {
            list.layer(new DenseLayer.Builder().nIn(i == 0 ? N_IN : width).nOut(width)
                    .activation(Activation.SIGMOID).build());
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(width).nOut(N_OUT)
                .activation(Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    private static DataSet batch(long seed) {
        DataSet d = Nets.classification(seed, BATCH, N_IN, N_OUT);
        return new DataSet(d.getFeatures().castTo(DataType.DOUBLE), d.getLabels().castTo(DataType.DOUBLE));
    }

    private static void fit(MultiLayerNetwork net, int steps, long firstSeed) {
        for (int i = 0; i < steps; i++) {
            net.fit(batch(firstSeed + i));
        }
    }

    /** VANISHING's rule computed by hand on a copy, for each of {@code steps} steps. */
    private static boolean vanishesOnEveryStep(MultiLayerNetwork copy, int steps, long firstSeed) {
        for (int i = 0; i < steps; i++) {
            DataSet d = batch(firstSeed + i);
            copy.setInput(d.getFeatures());
            copy.setLabels(d.getLabels());
            copy.computeGradientAndScore();
            double first = copy.getLayer(0).getGradientsViewArray().norm2Number().doubleValue() / BATCH;
            double last = copy.getLayer(copy.getnLayers() - 1).getGradientsViewArray().norm2Number().doubleValue()
                    / BATCH;
            if (!(first / last < 1e-3 && first < 1e-4)) {
                return false;
            }
            copy.fit(d);
        }
        return true;
    }

    private static List<GradientAlert> vanishing(GradientMonitor monitor) {
        return monitor.alerts().stream().filter(a -> a.type() == AlertType.VANISHING).toList();
    }

    @Test
    void aModelOfTheSameLayoutContinuesTheDetectorWindow() {
        MultiLayerNetwork a = deepSigmoid(8, 16, 1);
        assertThat(vanishesOnEveryStep(a.clone(), 5, 100)).isTrue();
        GradientMonitor monitor = GradientMonitor.builder().logAlerts(false).build();
        a.setListeners(monitor);
        fit(a, 3, 100);
        MultiLayerNetwork b = a.clone(); // a new object, as a Spark task builds from the averaged parameters
        monitor.continueOn(b);
        b.setListeners(monitor);
        fit(b, 1, 103);
        assertThat(vanishing(monitor)).isEmpty();

        fit(b, 1, 104);

        assertThat(vanishing(monitor)).isNotEmpty()
                .allSatisfy(alert -> assertThat(alert.iteration()).isEqualTo(4L));
        assertThat(monitor.workers()).containsExactly("0");
        assertThat(monitor.history()).extracting(s -> s.iteration()).containsExactly(0L, 1L, 2L, 3L, 4L);
    }

    @Test
    void aModelContinuesTheWorkerOfAModelAlreadyGarbageCollected() {
        MultiLayerNetwork a = deepSigmoid(8, 16, 1);
        GradientMonitor monitor = GradientMonitor.builder().logAlerts(false).build();
        a.setListeners(monitor);
        fit(a, 3, 100);
        MultiLayerNetwork b = a.clone(); // e.g. a Spark task's model, built after the previous task's was dropped
        WeakReference<MultiLayerNetwork> previous = new WeakReference<>(a);
        a = null;
        assertThat(Gc.collectAll(List.of(previous))).as("the monitor does not keep the previous model").isZero();

        monitor.continueOn(b);
        b.setListeners(monitor);
        fit(b, 2, 103);

        assertThat(vanishing(monitor)).isNotEmpty()
                .allSatisfy(alert -> assertThat(alert.iteration()).isEqualTo(4L));
        assertThat(monitor.workers()).containsExactly("0");
    }

    @Test
    void withoutContinueOnTheNewModelIsANewWorkerWithAnEmptyWindow() {
        MultiLayerNetwork a = deepSigmoid(8, 16, 1);
        GradientMonitor monitor = GradientMonitor.builder().logAlerts(false).build();
        a.setListeners(monitor);
        fit(a, 3, 100);
        MultiLayerNetwork b = a.clone();
        b.setListeners(monitor);

        fit(b, 2, 103);

        assertThat(vanishing(monitor)).isEmpty();
        assertThat(monitor.workers()).containsExactly("0", "1");
    }

    @Test
    void aModelOfAnotherLayoutStartsAfresh() {
        MultiLayerNetwork a = deepSigmoid(8, 16, 1);
        MultiLayerNetwork c = deepSigmoid(8, 12, 2);
        assertThat(vanishesOnEveryStep(c.clone(), 5, 103)).isTrue();
        GradientMonitor monitor = GradientMonitor.builder().logAlerts(false).build();
        a.setListeners(monitor);
        fit(a, 3, 100);
        monitor.continueOn(c);
        c.setListeners(monitor);

        fit(c, 4, 103);
        assertThat(vanishing(monitor)).as("3 + 4 snapshots, but only 4 of this layout").isEmpty();
        fit(c, 1, 107);

        assertThat(vanishing(monitor)).isNotEmpty();
        assertThat(monitor.workers()).containsExactly("0");
    }

    @Test
    void aStepPendingOnThePreviousModelIsNeverRestoredIntoTheNewOne() {
        GradientMonitor monitor = GradientMonitor.builder().logAlerts(false).skipNonFiniteSteps(true).build();
        MultiLayerNetwork a = deepSigmoid(2, 8, 1);
        DataSet poisoned = batch(1);
        poisoned.getFeatures().putScalar(0, 0, Double.NaN);
        a.setInput(poisoned.getFeatures());
        a.setLabels(poisoned.getLabels());
        a.computeGradientAndScore();
        monitor.onGradientCalculation(a); // a poisoned step: the skip saved a's parameters, a never finishes it
        MultiLayerNetwork b = deepSigmoid(2, 8, 3);
        MultiLayerNetwork twin = b.clone();
        DataSet clean = batch(2);
        monitor.continueOn(b);
        b.setListeners(monitor);

        b.fit(clean);
        twin.fit(clean);

        INDArray difference = b.params().sub(twin.params());
        assertThat(difference.amaxNumber().doubleValue()).isZero();
        assertThat(b.params().sub(a.params()).amaxNumber().doubleValue()).isPositive();
        assertThat(a.getGradientsViewArray().amaxNumber().doubleValue()).as("the skip zeroed a's gradient").isZero();
        assertThat(monitor.alerts()).as("a's step never completed: no restore is announced")
                .extracting(GradientAlert::type).doesNotContain(AlertType.STEP_SKIPPED);
    }

    @Test
    void refusesWhatItCannotContinue() {
        GradientMonitor monitor = GradientMonitor.builder().logAlerts(false).build();
        assertThatThrownBy(() -> monitor.continueOn(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("continueOn model must not be null");
        MultiLayerNetwork a = deepSigmoid(1, 4, 1);
        assertThatThrownBy(() -> monitor.continueOn(a.getLayer(0))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("continueOn needs a MultiLayerNetwork or ComputationGraph (got: ");
        MultiLayerNetwork b = deepSigmoid(1, 4, 2);
        a.setListeners(monitor);
        b.setListeners(monitor);
        a.fit(batch(1));
        b.fit(batch(2));
        assertThatThrownBy(() -> monitor.continueOn(deepSigmoid(1, 4, 3)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("continueOn needs a monitor that watched one model (got: 2 workers [0, 1]); give each "
                        + "ParallelWrapper worker its own monitor");
    }
}
