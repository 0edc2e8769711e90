package io.github.dl4jgradmon;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.GradientAlertException;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.alert.StopTrainingHandler;
import io.github.dl4jgradmon.detect.DetectorSuite;
import io.github.dl4jgradmon.internal.react.Step;
import io.github.dl4jgradmon.internal.stats.FlatSegments;
import io.github.dl4jgradmon.internal.stats.LayoutScanner;
import io.github.dl4jgradmon.internal.stats.StatsPass;
import io.github.dl4jgradmon.model.ModelLayout;
import io.github.dl4jgradmon.stats.BufferPath;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Step skipping fails closed: a poisoned step the monitor could not check as configured is still not applied, a
 * skip is announced only once its restore ran, and every way a skipped step can end (restored, restore failed,
 * aborted by a handler or by another listener) leaves the model and the alerts telling the same story.
 */
class FailClosedSkippingTest {

    @AfterEach
    void defaultPath() {
        TestPaths.reset();
    }

    /** A statistics pass that fails on its {@code failAt}-th gradient scan (0-based): a bug in the monitor. */
    private record FailingScan(StatsPass pass, int failAt, int[] calls) implements StatsPass {
        FailingScan(StatsPass pass, int failAt) {
            this(pass, failAt, new int[1]);
        }

        @Override
        public BufferPath path() {
            return pass.path();
        }

        @Override
        public void verify(ModelLayout layout, INDArray gradients, INDArray params) {
            pass.verify(layout, gradients, params);
        }

        @Override
        public void scanGradients(LayoutScanner scan, INDArray gradients, INDArray params, int threads) {
            if (calls[0]++ == failAt) {
                throw new IllegalStateException("simulated failure in the statistics");
            }
            pass.scanGradients(scan, gradients, params, threads);
        }

        @Override
        public void scanUpdates(LayoutScanner scan, INDArray updates, int threads) {
            pass.scanUpdates(scan, updates, threads);
        }

        @Override
        public double fractionOutside(INDArray activations, double low, double high) {
            return pass.fractionOutside(activations, low, high);
        }

        @Override
        public FlatSegments segments(INDArray gradients, INDArray params) {
            return pass.segments(gradients, params);
        }
    }

    private static MultiLayerNetwork adamNet() {
        return Nets.mlp(new Adam(0.01), DataType.FLOAT, 6, 8, 3);
    }

    private static GradientMonitor.Builder skipping(List<GradientAlert> seen) {
        return GradientMonitor.builder().skipNonFiniteSteps(true).logAlerts(false).detectors(DetectorSuite.none())
                .onAlert(seen::add);
    }

    private static List<GradientAlert> at(List<GradientAlert> alerts, long iteration) {
        return alerts.stream().filter(a -> a.iteration() == iteration).toList();
    }

    @ParameterizedTest
    @EnumSource(BufferPath.class)
    void aPoisonedStepIsSkippedEvenWhenTheStatisticsFailOnIt(BufferPath path) {
        TestPaths.use(path);
        MultiLayerNetwork net = adamNet();
        List<GradientAlert> seen = new CopyOnWriteArrayList<>();
        GradientMonitor monitor = skipping(seen).statsPasses(p -> new FailingScan(p, 2)).build();
        net.setListeners(new NanOnce(2), monitor);
        DataSet data = Nets.classification(1, 8, 6, 3);
        net.fit(data);
        net.fit(data);
        INDArray params = net.params().dup();
        INDArray state = net.getUpdater().getStateViewArray().dup();

        net.fit(data); // iteration 2: NaN gradient, and the statistics fail

        assertThat(net.params()).as("the poisoned step is not applied").isEqualTo(params);
        assertThat(net.getUpdater().getStateViewArray()).as("Adam moments restored").isEqualTo(state);
        assertThat(at(seen, 2)).extracting(GradientAlert::type)
                .containsExactly(AlertType.PROTECTION_LAPSED, AlertType.STEP_SKIPPED);
        assertThat(at(seen, 2).get(0).message()).contains("it is skipped").contains("1 NaN and 0 Inf")
                .doesNotContain("applied unprotected");
        assertThat(at(seen, 2).get(1).message()).contains("parameters and updater state restored");
        for (int i = 0; i < 6; i++) {
            net.fit(data); // training goes on from finite parameters
        }
        assertThat(net.params().isNaN().any()).isFalse();
        assertThat(net.getIterationCount()).isEqualTo(9);
        assertThat(seen).extracting(GradientAlert::type).doesNotContain(AlertType.NON_FINITE);
        TestPaths.check(monitor);
    }

    @Test
    void aFiniteStepTheStatisticsFailOnIsCheckedByTheFallbackAndApplied() {
        MultiLayerNetwork net = adamNet();
        MultiLayerNetwork twin = adamNet();
        List<GradientAlert> seen = new CopyOnWriteArrayList<>();
        net.setListeners(skipping(seen).statsPasses(p -> new FailingScan(p, 1)).build());
        DataSet data = Nets.classification(1, 8, 6, 3);
        for (int i = 0; i < 3; i++) {
            net.fit(data);
            twin.fit(data);
        }
        assertThat(net.params()).as("the finite step went through as without the monitor").isEqualTo(twin.params());
        assertThat(seen).extracting(GradientAlert::type).containsExactly(AlertType.PROTECTION_LAPSED);
        assertThat(seen.get(0).message()).contains("fallback check found score and gradient finite");
    }

    /** At {@code iterationDone} of one iteration, hands the monitor an updater whose state cannot be read back. */
    private static final class BreakUpdaterAt extends BaseTrainingListener {
        private final int at;
        Updater original;

        BreakUpdaterAt(int at) {
            this.at = at;
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            if (iteration != at) {
                return;
            }
            MultiLayerNetwork net = (MultiLayerNetwork) model;
            original = net.getUpdater();
            net.setUpdater((Updater) Proxy.newProxyInstance(Updater.class.getClassLoader(),
                    new Class<?>[] {Updater.class}, (proxy, method, args) -> {
                        if (method.getName().equals("getStateViewArray")) {
                            throw new IllegalStateException("simulated failure reading the updater state");
                        }
                        try {
                            return method.invoke(original, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    }));
        }
    }

    /** Puts the real updater back after the monitor's {@code iterationDone}. */
    private record RepairUpdater(BreakUpdaterAt breaker) implements TrainingListener {
        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            if (breaker.original != null) {
                ((MultiLayerNetwork) model).setUpdater(breaker.original);
                breaker.original = null;
            }
        }

        @Override
        public void onEpochStart(Model model) {
        }

        @Override
        public void onEpochEnd(Model model) {
        }

        @Override
        public void onForwardPass(Model model, List<INDArray> activations) {
        }

        @Override
        public void onForwardPass(Model model, Map<String, INDArray> activations) {
        }

        @Override
        public void onGradientCalculation(Model model) {
        }

        @Override
        public void onBackwardPass(Model model) {
        }
    }

    @Test
    void aRestoreThatFailsIsALapseThatSaysWhatTheModelHolds() {
        MultiLayerNetwork net = adamNet();
        List<GradientAlert> seen = new CopyOnWriteArrayList<>();
        BreakUpdaterAt breaker = new BreakUpdaterAt(2);
        net.setListeners(new NanOnce(2), breaker, skipping(seen).build(), new RepairUpdater(breaker));
        DataSet data = Nets.classification(1, 8, 6, 3);
        net.fit(data);
        net.fit(data);
        INDArray params = net.params().dup();

        net.fit(data); // iteration 2: skipped, but the updater state cannot be restored

        assertThat(at(seen, 2)).as("no STEP_SKIPPED claims a restore that failed").extracting(GradientAlert::type)
                .containsExactly(AlertType.PROTECTION_LAPSED);
        assertThat(at(seen, 2).get(0).message()).contains("parameters were restored")
                .contains("restoring the updater state failed").doesNotContain("applied unprotected");
        assertThat(at(seen, 2).get(0).severity()).isEqualTo(Severity.CRITICAL);
        assertThat(net.params()).as("the parameters' restore ran").isEqualTo(params);
        net.fit(data);
        assertThat(net.params().isNaN().any()).isFalse();
    }

    @Test
    void aHandlerStoppingOnTheSkipStopsTrainingAfterTheRestore() {
        MultiLayerNetwork net = adamNet();
        List<GradientAlert> seen = new CopyOnWriteArrayList<>();
        List<INDArray> paramsWhenAlerted = new CopyOnWriteArrayList<>();
        GradientMonitor monitor = skipping(seen).onAlert(a -> paramsWhenAlerted.add(net.params().dup()))
                .onAlert(StopTrainingHandler.builder().types(AlertType.STEP_SKIPPED).minSeverity(Severity.WARNING)
                        .build())
                .onAlert(a -> {
                    throw new IllegalStateException("a broken handler after the stop");
                })
                .build();
        net.setListeners(new NanOnce(1), monitor);
        DataSet data = Nets.classification(1, 8, 6, 3);
        net.fit(data);
        INDArray params = net.params().dup();
        INDArray state = net.getUpdater().getStateViewArray().dup();

        assertThatThrownBy(() -> net.fit(data)).isInstanceOf(GradientAlertException.class)
                .hasMessageContaining("STEP_SKIPPED");

        assertThat(seen).extracting(GradientAlert::type).containsExactly(AlertType.STEP_SKIPPED);
        assertThat(paramsWhenAlerted).singleElement().as("restored before the alert").isEqualTo(params);
        assertThat(net.params()).isEqualTo(params);
        assertThat(net.getUpdater().getStateViewArray()).isEqualTo(state);
        assertThat(monitor.faultCount()).as("the broken handler, contained").isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class)
    void aSkippedStepThatNeverCompletesAnnouncesNoRestore(Fault fault) {
        MultiLayerNetwork net = adamNet();
        List<GradientAlert> seen = new CopyOnWriteArrayList<>();
        GradientMonitor.Builder b = skipping(seen);
        if (fault == Fault.STATISTICS) {
            b.statsPasses(p -> new FailingScan(p, 1));
        }
        net.setListeners(new NanOnce(1), b.build(), new FailOnce(1));
        DataSet data = Nets.classification(1, 8, 6, 3);
        net.fit(data);
        INDArray params = net.params().dup();

        assertThatThrownBy(() -> net.fit(data)).hasMessageContaining("another listener");

        assertThat(seen).extracting(GradientAlert::type).doesNotContain(AlertType.STEP_SKIPPED);
        assertThat(net.params()).isEqualTo(params);
        net.fit(data); // the saved copy of the aborted step is never written back
        assertThat(net.params()).isNotEqualTo(params);
        assertThat(net.params().isNaN().any()).isFalse();
    }

    enum Fault { NONE, STATISTICS }
}
