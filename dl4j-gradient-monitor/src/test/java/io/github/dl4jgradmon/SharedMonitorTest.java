package io.github.dl4jgradmon;

import io.github.dl4jgradmon.clip.GradientClipping;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One monitor reused across many models (a hyper-parameter search): a model dropped after training is released,
 * and the monitor's workers stay bounded.
 */
class SharedMonitorTest {

    private static final int MODELS = 20;
    private static final int STEPS = 3;

    @Test
    void modelsDroppedAfterTrainingAreCollectedAndWorkersStayBounded() {
        GradientMonitor monitor = GradientMonitor.builder().logAlerts(false).historySize(10_000).build();
        List<WeakReference<MultiLayerNetwork>> dropped = new ArrayList<>();
        for (int m = 0; m < MODELS; m++) {
            dropped.add(new WeakReference<>(trainOnce(monitor, m)));
        }

        assertThat(Gc.collectAll(dropped)).as("models still reachable").isZero();
        // a new model registers: the workers of the collected ones go
        MultiLayerNetwork last = trainOnce(monitor, MODELS);
        assertThat(monitor.workers()).containsExactly(String.valueOf(MODELS));
        assertThat(monitor.faultCount()).isZero();
        // each model had its own id, never reused: its history is its own
        for (int m = 0; m <= MODELS; m++) {
            List<GradientSnapshot> own = monitor.history(String.valueOf(m));
            assertThat(own).as("model %s", m).hasSize(STEPS);
            assertThat(own).extracting(GradientSnapshot::iteration).containsExactly(0L, 1L, 2L);
        }
        assertThat(last.getIterationCount()).isEqualTo(STEPS);
    }

    @Test
    void aStepThatDl4jNeverFinishesKeepsNoModelAlive() {
        GradientMonitor monitor = GradientMonitor.builder().logAlerts(false)
                .clipping(GradientClipping.globalNorm(1.0)).build();
        List<WeakReference<MultiLayerNetwork>> dropped = new ArrayList<>();
        for (int m = 0; m < 3; m++) {
            MultiLayerNetwork net = Nets.sgdMlp(10, 16, 3);
            // the monitor's step is pending when the next listener fails: DL4J never reaches iterationDone
            net.setListeners(monitor, new FailingAfterGradient());
            assertThatThrownBy(() -> net.fit(Nets.classification(1, 8, 10, 3)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("after the gradient");
            dropped.add(new WeakReference<>(net));
        }

        assertThat(Gc.collectAll(dropped)).as("models still reachable").isZero();
        assertThat(monitor.faultCount()).isZero();
    }

    private static MultiLayerNetwork trainOnce(GradientMonitor monitor, int seed) {
        MultiLayerNetwork net = Nets.sgdMlp(10, 16, 3);
        net.setListeners(monitor);
        for (int i = 0; i < STEPS; i++) {
            net.fit(Nets.classification(seed * 100L + i, 8, 10, 3));
        }
        return net;
    }

    static final class FailingAfterGradient extends BaseTrainingListener {
        @Override
        public void onGradientCalculation(Model model) {
            throw new IllegalStateException("listener failure after the gradient");
        }
    }
}
