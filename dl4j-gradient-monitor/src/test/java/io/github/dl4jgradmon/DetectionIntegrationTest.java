package io.github.dl4jgradmon;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.GradientAlertException;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.alert.StopTrainingHandler;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DetectionIntegrationTest {

    /** Writes a NaN into layer 1's W gradient at one iteration. */
    private static final class NanAt extends BaseTrainingListener {
        private final int iteration;

        NanAt(int iteration) {
            this.iteration = iteration;
        }

        @Override
        public void onGradientCalculation(Model model) {
            MultiLayerNetwork net = (MultiLayerNetwork) model;
            if (net.getIterationCount() == iteration) {
                net.getGradient().getGradientFor("1_W").putScalar(0, Double.NaN);
            }
        }
    }

    @Test
    void nonFiniteGradientIsAlertedInItsOwnIterationAndReachesHandlers() {
        MultiLayerNetwork net = Nets.sgdMlp(8, 10, 6, 3);
        List<GradientAlert> received = new ArrayList<>();
        GradientMonitor monitor = GradientMonitor.builder().onAlert(received::add).build();
        net.setListeners(new NanAt(3), monitor);
        DataSet data = Nets.classification(1, 8, 8, 3);
        for (int i = 0; i < 4; i++) {
            net.fit(data);
        }

        assertThat(monitor.alerts()).filteredOn(a -> a.type() == AlertType.NON_FINITE).first()
                .satisfies(a -> {
                    assertThat(a.iteration()).isEqualTo(3);
                    assertThat(a.layer()).isEqualTo(monitor.latest().orElseThrow().layers().get(1).name());
                    assertThat(a.hint()).isNotBlank();
                });
        assertThat(received).containsExactlyElementsOf(monitor.alerts());
        assertThat(monitor.alertCount()).isEqualTo(monitor.alerts().size());
    }

    @Test
    void stopHandlerEndsTrainingWithTheTypedException() {
        MultiLayerNetwork net = Nets.sgdMlp(8, 10, 6, 3);
        GradientMonitor monitor = GradientMonitor.builder().onAlert(StopTrainingHandler.onNonFinite()).build();
        net.setListeners(new NanAt(2), monitor);
        DataSet data = Nets.classification(1, 8, 8, 3);
        net.fit(data);
        net.fit(data);

        assertThatThrownBy(() -> net.fit(data))
                .isInstanceOf(GradientAlertException.class)
                .satisfies(e -> {
                    GradientAlert a = ((GradientAlertException) e).alert();
                    assertThat(a.type()).isEqualTo(AlertType.NON_FINITE);
                    assertThat(a.iteration()).isEqualTo(2);
                });
    }

    @Test
    void aFailingHandlerIsContainedAndTrainingGoesOn() {
        MultiLayerNetwork net = Nets.sgdMlp(8, 10, 6, 3);
        GradientMonitor monitor = GradientMonitor.builder()
                .onAlert(a -> {
                    throw new IllegalStateException("handler bug");
                })
                .onSnapshot(s -> {
                    throw new IllegalStateException("snapshot handler bug");
                })
                .build();
        net.setListeners(new NanAt(0), monitor);
        net.fit(Nets.classification(1, 8, 8, 3));
        net.fit(Nets.classification(2, 8, 8, 3));

        assertThat(monitor.faultCount()).isGreaterThanOrEqualTo(3);
        assertThat(monitor.history()).hasSize(2);
    }

    /**
     * Issue 9, finding 2: ten tanh layers initialised from N(0, 0.01). The global norm "rises" from 1e-9 at iteration
     * 0 to 1e-4 a few iterations later as the net wakes up: a vanishing case, not an explosion.
     */
    @Test
    void aDeepNetWithASmallInitWakingUpRaisesNoExplodingAlert() {
        NeuralNetConfiguration.ListBuilder list =
                new NeuralNetConfiguration.Builder().seed(1)
                        .updater(new Adam(1e-3))
                        .weightInit(new NormalDistribution(0, 0.01)).list();
        list.layer(new DenseLayer.Builder().nIn(20).nOut(16)
                .activation(Activation.TANH).build());
        for (int i = 0; i < 8; i++) {
            list.layer(new DenseLayer.Builder().nIn(16).nOut(16)
                    .activation(Activation.TANH).build());
        }
        list.layer(new OutputLayer.Builder(
                LossFunctions.LossFunction.MCXENT).nIn(16).nOut(4)
                .activation(Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        GradientMonitor monitor = GradientMonitor.builder().logAlerts(false).build();
        net.setListeners(monitor);
        DataSet data = Nets.classification(3, 32, 20, 4);
        for (int i = 0; i < 30; i++) {
            net.fit(data);
        }
        List<GradientSnapshot> h = monitor.history();
        assertThat(h.get(5).globalGradientNorm()).as("woke up").isGreaterThan(100 * h.get(0).globalGradientNorm());
        assertThat(monitor.alerts()).noneMatch(a -> a.type() == AlertType.EXPLODING
                && a.severity().isAtLeast(Severity.WARNING));
    }
}
