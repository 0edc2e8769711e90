package io.github.dl4jgradmon;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlertException;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.alert.StopTrainingHandler;
import io.github.dl4jgradmon.clip.FailingClipping;
import io.github.dl4jgradmon.detect.DetectorSuite;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The alert that explains why training stopped reaches the log at ERROR even when the rate limit already sent
 * alerts of its (type, layer) to DEBUG. Reads what the test binding (slf4j-simple, INFO and above, to
 * {@code System.err}) writes.
 */
class StopIsLoggedTest {

    @RegisterExtension
    final CapturedStderr log = new CapturedStderr();

    private List<String> errorLines() {
        return log.lines(" ERROR io.github.dl4jgradmon.alert.");
    }

    private static MultiLayerNetwork sgdNet() {
        return Nets.mlp(new Sgd(0.1), DataType.FLOAT, 6, 8, 3);
    }

    @Test
    void theLapseThatSpendsTheBudgetIsLoggedAtErrorAfterThreeWere() {
        MultiLayerNetwork net = sgdNet();
        net.setListeners(GradientMonitor.builder().clipping(new FailingClipping()).detectors(DetectorSuite.none())
                .build());
        DataSet data = Nets.classification(1, 8, 6, 3);
        for (int i = 0; i < 3; i++) {
            net.fit(data); // three lapses: the rate limit's three loud lines
        }
        assertThatThrownBy(() -> net.fit(data)).isInstanceOf(GradientAlertException.class);

        assertThat(errorLines()).filteredOn(l -> l.contains("PROTECTION_LAPSED")).hasSize(4);
        assertThat(errorLines()).filteredOn(l -> l.contains("iteration=3")).singleElement().asString()
                .contains("training stops").contains("lapse budget (3 in a row or 10 in 1000 iterations) exceeded");
    }

    /** Puts a NaN into the raw gradient at every iteration. */
    private static final class AlwaysNan extends BaseTrainingListener {
        @Override
        public void onGradientCalculation(Model model) {
            model.getGradientsViewArray().putScalar(3, Double.NaN);
        }
    }

    @Test
    void aStopAHandlerRequestsOnASuppressedAlertIsLoggedAtError() {
        MultiLayerNetwork net = sgdNet();
        int[] skipped = new int[1];
        net.setListeners(new AlwaysNan(), GradientMonitor.builder().skipNonFiniteSteps(StepBudget.of(10, 10, 100))
                .detectors(DetectorSuite.none())
                .onAlert(a -> skipped[0]++)
                .onAlert(a -> {
                    if (skipped[0] == 5) {
                        StopTrainingHandler.builder().types(AlertType.STEP_SKIPPED).minSeverity(Severity.WARNING)
                                .build().onAlert(a);
                    }
                })
                .build());
        DataSet data = Nets.classification(1, 8, 6, 3);
        for (int i = 0; i < 4; i++) {
            net.fit(data);
        }
        assertThatThrownBy(() -> net.fit(data)).isInstanceOf(GradientAlertException.class);

        assertThat(errorLines()).as("the fifth STEP_SKIPPED, past the rate limit, explains the stop").singleElement()
                .asString().contains("training stops").contains("STEP_SKIPPED").contains("iteration=4");
    }
}
