package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;

import static io.github.dl4jgradmon.detect.Snapshots.layer;
import static io.github.dl4jgradmon.detect.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeadUnitsDetectorTest {

    @Test
    void flagsLayerWhoseBiasGradientIsMostlyZeroOnceTheWarmupIsOver() {
        Detector.Session s = DeadUnitsDetector.defaults().newSession();
        for (int i = 0; i < 50; i++) { // corpus finding F1b: no verdict in the first 50 snapshots
            assertThat(s.inspect(snapshot(i, 1.0, layer("hidden").biasZeros(0.8), layer("out")))).isEmpty();
        }
        List<GradientAlert> alerts = s.inspect(snapshot(50, 1.0, layer("hidden").biasZeros(0.8), layer("out")));
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AlertType.DEAD_UNITS);
            assertThat(a.layer()).isEqualTo("hidden");
            assertThat(a.param()).contains("b");
            assertThat(a.value()).isCloseTo(0.8, Offset.offset(1e-12));
            assertThat(a.threshold()).isEqualTo(0.7);
            assertThat(a.message()).contains("hidden", "80");
            assertThat(a.hint()).contains("Activation.LEAKYRELU");
        });
    }

    @ParameterizedTest
    @CsvSource({"0.75, true", "0.74, false"})
    void meanAtTheThresholdFires(double zeros, boolean fires) {
        Detector.Session s = DeadUnitsDetector.builder().threshold(0.75).window(4).warmup(0).build().newSession();
        List<GradientAlert> last = List.of();
        for (int i = 0; i < 4; i++) {
            last = s.inspect(snapshot(i, 1.0, layer("hidden").biasZeros(zeros)));
        }
        assertThat(last.isEmpty()).isEqualTo(!fires);
    }

    @Test
    void averagesOverTheWindowSoOneSilentBatchDoesNotFire() {
        Detector.Session s = DeadUnitsDetector.builder().window(4).warmup(0).build().newSession();
        double[] zeros = {0.1, 0.1, 0.1, 1.0, 0.1, 0.1};
        for (int i = 0; i < zeros.length; i++) {
            assertThat(s.inspect(snapshot(i, 1.0, layer("hidden").biasZeros(zeros[i])))).isEmpty();
        }
    }

    @Test
    void sparseInputsZeroingWeightRowsDoNotCountWhenTheLayerHasABias() {
        Detector.Session s = DeadUnitsDetector.builder().window(2).warmup(0).build().newSession();
        for (int i = 0; i < 5; i++) {
            assertThat(s.inspect(snapshot(i, 1.0, layer("in").weightZeros(0.9).biasZeros(0.0)))).isEmpty();
        }
    }

    @Test
    void usesWeightsWhenTheLayerHasNoBiasAndSkipsEmbeddings() {
        Detector.Session s = DeadUnitsDetector.builder().window(2).warmup(0).build().newSession();
        List<GradientAlert> last = List.of();
        for (int i = 0; i < 2; i++) {
            last = s.inspect(snapshot(i, 1.0, layer("emb").type("EmbeddingSequenceLayer").noBias().weightZeros(0.99),
                    layer("hidden").noBias().weightZeros(0.9)));
        }
        assertThat(last).singleElement().satisfies(a -> {
            assertThat(a.layer()).isEqualTo("hidden");
            assertThat(a.param()).contains("W");
        });
    }

    /**
     * Corpus findings F1 and zoo UNet: dead units in a net whose loss fell well below its start (it learned anyway)
     * are INFO. The zoo UNet, trained to 0.21 of its starting loss, has 70% dead units in its bottleneck conv5-2 from
     * iteration 134, when its loss average was about 0.3 of its start: that was a WARNING with a quarter as the bar.
     */
    @ParameterizedTest
    @CsvSource({"0.2, 0.8, INFO", "0.3, 0.8, INFO", "0.6, 0.8, WARNING", "1.0, 0.8, WARNING",
            "0.2, 0.99, WARNING"}) // corpus run 4: an autoencoder with 99% dead units whose loss fell 90-fold anyway
    void deadUnitsAreInfoOnlyOnceTheLossFellBelowHalfItsStartAndSomeUnitsLive(double endLossFraction,
                                                                                   double dead, String severity) {
        Detector.Session s = DeadUnitsDetector.defaults().newSession();
        List<GradientAlert> last = List.of();
        for (int i = 0; i < 100; i++) {
            double loss = i < 10 ? 2.0 : 2.0 * endLossFraction;
            last = s.inspect(snapshot(i, loss, layer("hidden").biasZeros(dead), layer("out")));
        }
        assertThat(last).singleElement().satisfies(a -> assertThat(a.severity().name()).isEqualTo(severity));
    }

    /**
     * Adam(1.0) on a ReLU MLP: the loss went 1.07 -> 17.4 in three steps and settled at 0.95 (chance 1.10) with 90%
     * dead units. The start must come from before the blow-up (a mean over the first ten scores, 4.4 here, made 0.95
     * look like "21% of its start" and the alert INFO), and the diagnosis names the blow-up and the learning rate.
     */
    @Test
    void deadUnitsAfterAnEarlyBlowUpAreAWarningThatNamesTheLearningRate() {
        double[] early = {1.07, 4.2, 9.8, 17.4, 8.1, 3.0, 1.4, 1.1, 0.97, 0.96};
        double meanOfFirstTen = Arrays.stream(early).average().orElseThrow();
        assertThat(0.95 / meanOfFirstTen).as("the old start made it look learned").isLessThan(0.5);
        Detector.Session s = DeadUnitsDetector.defaults().newSession();
        List<GradientAlert> last = List.of();
        for (int i = 0; i < 100; i++) {
            double loss = i < early.length ? early[i] : 0.95;
            last = s.inspect(snapshot(i, loss, layer("hidden").biasZeros(0.9), layer("out")));
        }
        assertThat(last).singleElement().satisfies(a -> {
            assertThat(a.severity().name()).isEqualTo("WARNING");
            assertThat(a.message()).contains("90.0% of the units").contains("blew up to 17.4 (16.3 times its start 1.07)")
                    .contains("at iteration 3").contains("learning rate too high");
            assertThat(a.hint()).startsWith("lower the learning rate ten-fold");
        });
    }

    @Test
    void noBlowUpNamedWhenTheLossNeverRoseFiveFold() {
        Detector.Session s = DeadUnitsDetector.defaults().newSession();
        List<GradientAlert> last = List.of();
        for (int i = 0; i < 100; i++) {
            double loss = i == 3 ? 5.0 : 1.0; // exactly five times the start: not a blow-up
            last = s.inspect(snapshot(i, loss, layer("hidden").biasZeros(0.9), layer("out")));
        }
        assertThat(last).singleElement().satisfies(a -> {
            assertThat(a.message()).doesNotContain("blew up");
            assertThat(a.hint()).isEqualTo(Hints.DEAD_UNITS);
        });
    }

    /** Corpus finding F8: a stalled sigmoid net's softmax output bias underflows to exact zeros; units did not die. */
    @Test
    void skipsOutputLayersAndSnapshotsWhereEveryLayerIsTiny() {
        Detector.Session s = DeadUnitsDetector.builder().window(1).warmup(0).build().newSession();
        assertThat(s.inspect(snapshot(0, 1.0, layer("hidden"), layer("out").type("OutputLayer").biasZeros(0.75))))
                .isEmpty();
        assertThat(s.inspect(snapshot(1, 1.0, layer("hidden").norm(5e-5).biasZeros(0.9), layer("out").norm(5e-5))))
                .as("global norm 7e-5: underflow, not dead units").isEmpty();
        assertThat(s.inspect(snapshot(2, 1.0, layer("hidden").norm(1e-3).biasZeros(0.9), layer("out").norm(1e-3))))
                .hasSize(1);
    }

    @Test
    void skipsSnapshotsWithAnAllZeroGradient() {
        Detector.Session s = DeadUnitsDetector.builder().window(1).warmup(0).build().newSession();
        assertThat(s.inspect(snapshot(0, 0.0, layer("hidden").norm(0).biasZeros(1.0)))).isEmpty();
    }

    @Test
    void builderRejectsBadValues() {
        assertThatThrownBy(() -> DeadUnitsDetector.builder().threshold(0)).hasMessage("threshold must be in (0, 1] (got: 0.0)");
        assertThatThrownBy(() -> DeadUnitsDetector.builder().window(0)).hasMessage("window must be >= 1 (got: 0)");
        assertThat(DeadUnitsDetector.builder().threshold(0.9).window(3).warmup(7).build())
                .isEqualTo(new DeadUnitsDetector(0.9, 3, 7));
        assertThatThrownBy(() -> DeadUnitsDetector.builder().warmup(-1)).hasMessage("warmup must be >= 0 (got: -1)");
    }
}
