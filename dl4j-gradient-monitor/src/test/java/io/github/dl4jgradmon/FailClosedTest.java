package io.github.dl4jgradmon;

import io.github.dl4jgradmon.alert.AlertHandler;
import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.GradientAlertException;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.alert.StopTrainingHandler;
import io.github.dl4jgradmon.clip.FailingClipping;
import io.github.dl4jgradmon.detect.DetectorSuite;
import io.github.dl4jgradmon.stats.BufferPath;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.CrashReportingUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 12 items 1-4: the monitor never corrupts the model, never fails open silently, and contains handlers. */
class FailClosedTest {

    @AfterEach
    void defaultPath() {
        TestPaths.reset();
    }


    private static MultiLayerNetwork sgdNet() {
        return Nets.mlp(new Sgd(0.1), DataType.FLOAT, 6, 8, 3);
    }

    // item 1
    @ParameterizedTest
    @EnumSource(BufferPath.class)
    void aSkippedStepThatIsAbortedNeverWritesItsCopyOverARestoredCheckpoint(BufferPath path) {
        TestPaths.use(path);
        MultiLayerNetwork net = sgdNet();
        GradientMonitor monitor = GradientMonitor.builder().skipNonFiniteSteps(true).logAlerts(false)
                .onAlert(StopTrainingHandler.builder().types(AlertType.STEP_SKIPPED).minSeverity(Severity.WARNING)
                        .build())
                .build();
        net.setListeners(new NanOnce(2), monitor);
        DataSet data = Nets.classification(1, 8, 6, 3);
        DataSet good = Nets.classification(2, 8, 6, 3);
        net.fit(data); // iteration 0
        MultiLayerNetwork checkpoint = net.clone();
        net.fit(data); // iteration 1
        assertThatThrownBy(() -> net.fit(data)).as("the user's handler stops on STEP_SKIPPED")
                .isInstanceOf(GradientAlertException.class);

        net.setParams(checkpoint.params().dup()); // the user restores a checkpoint and goes on
        net.fit(good);

        MultiLayerNetwork twin = checkpoint.clone(); // the same step without any monitor
        twin.setListeners();
        twin.fit(good);
        assertThat(net.params()).as("the checkpoint and the good step stand").isEqualTo(twin.params());
        assertThat(monitor.latest().orElseThrow().reaction().stepSkipped()).isFalse();
    }

    // item 1
    @ParameterizedTest
    @EnumSource(BufferPath.class)
    void aSkippedStepAbortedByAnotherListenerLeavesNothingBehind(BufferPath path) {
        TestPaths.use(path);
        MultiLayerNetwork net = sgdNet();
        GradientMonitor monitor = GradientMonitor.builder().skipNonFiniteSteps(true).logAlerts(false).build();
        net.setListeners(new NanOnce(2), monitor, new FailOnce(2));
        DataSet data = Nets.classification(1, 8, 6, 3);
        DataSet good = Nets.classification(2, 8, 6, 3);
        net.fit(data);
        MultiLayerNetwork checkpoint = net.clone();
        net.fit(data);
        assertThatThrownBy(() -> net.fit(data)).hasMessageContaining("another listener");

        net.setParams(checkpoint.params().dup());
        net.fit(good);

        MultiLayerNetwork twin = checkpoint.clone();
        twin.setListeners();
        twin.fit(good);
        assertThat(net.params()).isEqualTo(twin.params());
        TestPaths.check(monitor);
    }

    // item 2
    @Test
    void aFailingReactionRaisesACriticalAlertEveryTimeAndStopsAfterTheBudget() {
        MultiLayerNetwork net = sgdNet();
        List<GradientAlert> seen = new CopyOnWriteArrayList<>();
        GradientMonitor monitor = GradientMonitor.builder().clipping(new FailingClipping()).logAlerts(false)
                .detectors(DetectorSuite.none()).onAlert(seen::add).build();
        net.setListeners(monitor);
        DataSet data = Nets.classification(1, 8, 6, 3);
        net.fit(data);
        net.fit(data);
        net.fit(data);
        assertThat(seen).extracting(GradientAlert::type).containsExactly(AlertType.PROTECTION_LAPSED,
                AlertType.PROTECTION_LAPSED, AlertType.PROTECTION_LAPSED);
        assertThat(seen).extracting(GradientAlert::severity).containsOnly(Severity.CRITICAL);
        assertThat(seen).extracting(GradientAlert::iteration).containsExactly(0L, 1L, 2L);

        assertThatThrownBy(() -> net.fit(data)).isInstanceOf(GradientAlertException.class)
                .hasMessageContaining("protection lapsed");
        assertThat(monitor.alerts()).hasSize(4);
    }

    // item 2
    @ParameterizedTest
    @EnumSource(BufferPath.class)
    void clippingIsAllOrNothing(BufferPath path) {
        TestPaths.use(path);
        DataSet data = Nets.classification(1, 8, 6, 3);
        MultiLayerNetwork twin = sgdNet();
        twin.fit(data);
        MultiLayerNetwork net = sgdNet();
        net.setListeners(GradientMonitor.builder().clipping(new FailingClipping()).logAlerts(false).build());
        net.fit(data);
        assertThat(net.params()).as("the failed strategy's partial scaling is not applied").isEqualTo(twin.params());
    }

    // item 3
    @ParameterizedTest
    @EnumSource(BufferPath.class)
    void theSkipBudgetAlertReachesTheHandlers(BufferPath path) {
        TestPaths.use(path);
        MultiLayerNetwork net = sgdNet();
        List<GradientAlert> seen = new CopyOnWriteArrayList<>();
        GradientMonitor monitor = GradientMonitor.builder().skipNonFiniteSteps(StepBudget.of(1, 10, 100))
                .detectors(DetectorSuite.none()).onAlert(seen::add).build();
        net.setListeners(new NanOnce(0), new NanOnce(1), monitor);
        DataSet data = Nets.classification(1, 8, 6, 3);
        net.fit(data);
        assertThatThrownBy(() -> net.fit(data)).isInstanceOf(GradientAlertException.class);
        assertThat(seen).extracting(GradientAlert::type).containsExactly(AlertType.STEP_SKIPPED, AlertType.NON_FINITE);
        assertThat(seen.get(1).message()).contains("skip budget");
        assertThat(monitor.alerts()).containsExactlyElementsOf(seen);
    }

    // item 4
    @Test
    void aHandlerThrowingAnErrorIsContainedAndTheNextHandlerStillRuns() {
        MultiLayerNetwork net = sgdNet();
        List<GradientAlert> seen = new CopyOnWriteArrayList<>();
        AlertHandler overflow = a -> {
            throw new StackOverflowError("simulated recursion in a handler");
        };
        AlertHandler error = a -> {
            throw new Error("simulated error in a handler");
        };
        GradientMonitor monitor = GradientMonitor.builder().logAlerts(false).alertRepeatInterval(1)
                .detectors(DetectorSuite.builder().disableAll().add(new AlwaysExploding()).build())
                .onAlert(overflow).onAlert(error).onAlert(seen::add).build();
        net.setListeners(monitor);
        DataSet data = Nets.classification(1, 8, 6, 3);

        net.fit(data);
        net.fit(data);

        assertThat(seen).hasSize(2);
        assertThat(monitor.faultCount()).isEqualTo(4);
    }

    // item 4
    @Test
    void theJvmsFatalErrorsPass() {
        MultiLayerNetwork net = sgdNet();
        AlertHandler oom = a -> {
            throw new OutOfMemoryError("simulated");
        };
        net.setListeners(GradientMonitor.builder().logAlerts(false)
                .detectors(DetectorSuite.builder().disableAll().add(new AlwaysExploding()).build())
                .onAlert(oom).build());
        // DL4J writes a memory crash dump file when fit() ends in an OutOfMemoryError: not for a simulated one
        CrashReportingUtil.crashDumpsEnabled(false);
        try {
            assertThatThrownBy(() -> net.fit(Nets.classification(1, 8, 6, 3))).isInstanceOf(OutOfMemoryError.class);
        } finally {
            CrashReportingUtil.crashDumpsEnabled(true);
        }
    }

    /**
     * A step that fails in backpropagation (here: labels of the wrong width, found by the output layer right after
     * {@code onForwardPass}) may be followed at once by {@code close()}, which frees the model's native buffers. No
     * read of them may still be under way. One was, when the parameters' pass ran on a helper thread from
     * {@code onForwardPass} on: the JVM died with SIGSEGV in that thread, in one of three runs of this test (30
     * models of 4M parameters each way); reading every buffer within the callback cannot.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aModelClosedRightAfterAFailedStepIsNotReadAnyMore(int threads) {
        for (int rep = 0; rep < 30; rep++) {
            MultiLayerNetwork net = Nets.mlp(new Sgd(1e-3), DataType.FLOAT, 2000, 2000, 4);
            GradientMonitor monitor = GradientMonitor.builder().logAlerts(false).threads(threads).build();
            net.setListeners(monitor);
            net.fit(Nets.classification(1, 8, 2000, 4));
            DataSet wrongLabels = Nets.classification(2, 8, 2000, 5);
            assertThatThrownBy(() -> net.fit(wrongLabels)).isInstanceOf(RuntimeException.class);
            net.close();
            assertThat(monitor.history()).hasSize(1);
            assertThat(monitor.faultCount()).isZero();
        }
    }
}
