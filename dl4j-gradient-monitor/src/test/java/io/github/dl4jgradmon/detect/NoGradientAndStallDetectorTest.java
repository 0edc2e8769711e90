package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;

import static io.github.dl4jgradmon.detect.Snapshots.layer;
import static io.github.dl4jgradmon.detect.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NoGradientAndStallDetectorTest {

    /** Layer i: W entirely zero when {@code zeroW}, b (norm 0 in Snapshots) entirely zero when {@code zeroB}. */
    private static Snapshots.Layer dense(String name, boolean zeroW, boolean zeroB) {
        return layer(name).norm(zeroW ? 0 : 0.1).weightZeros(zeroW ? 1.0 : 0.0).biasZeros(zeroB ? 1.0 : 0.0);
    }

    @Test
    void everyArrayExactlyZeroIsCriticalAfterPatienceSnapshots() {
        Detector.Session s = NoGradientDetector.defaults().newSession();
        assertThat(s.inspect(snapshot(0, 1.0, dense("a", true, true), dense("b", true, true)))).isEmpty();
        assertThat(s.inspect(snapshot(1, 1.0, dense("a", true, true), dense("b", true, true)))).isEmpty();
        assertThat(s.inspect(snapshot(2, 1.0, dense("a", true, true), dense("b", true, true)))).singleElement()
                .satisfies(a -> {
                    assertThat(a.type()).isEqualTo(AlertType.NO_GRADIENT);
                    assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
                    assertThat(a.layers()).containsExactly("a", "b");
                    assertThat(a.message()).contains("every one of the 4", "nothing learns");
                });
    }

    @ParameterizedTest
    @CsvSource({"9, 10, true", "8, 10, false"})
    void theFractionOfZeroArraysDecides(int zeroArrays, int arrays, boolean fires) {
        // arrays / 2 layers with W and b; the first zeroArrays arrays (W, b, W, b, ...) are all zero
        Detector.Session s = NoGradientDetector.defaults().newSession();
        List<GradientAlert> last = List.of();
        for (int it = 0; it < 3; it++) {
            Snapshots.Layer[] layers = new Snapshots.Layer[arrays / 2];
            for (int l = 0; l < layers.length; l++) {
                layers[l] = dense("l" + l, 2 * l < zeroArrays, 2 * l + 1 < zeroArrays);
            }
            last = s.inspect(snapshot(it, 1.0, layers));
        }
        assertThat(last.isEmpty()).isEqualTo(!fires);
    }

    @Test
    void aLivingSnapshotResetsThePatience() {
        Detector.Session s = NoGradientDetector.defaults().newSession();
        s.inspect(snapshot(0, 1.0, dense("a", true, true)));
        s.inspect(snapshot(1, 1.0, dense("a", true, true)));
        s.inspect(snapshot(2, 1.0, dense("a", false, false)));
        assertThat(s.inspect(snapshot(3, 1.0, dense("a", true, true)))).isEmpty();
    }

    private static List<GradientAlert> stallRun(double norm, double startLoss, double endLoss, int snapshots) {
        Detector.Session s = StallDetector.builder().window(20).warmup(5).build().newSession();
        List<GradientAlert> all = new ArrayList<>();
        for (int i = 0; i < snapshots; i++) {
            double loss = startLoss + (endLoss - startLoss) * Math.min(1, i / 30.0);
            all.addAll(s.inspect(snapshot(i, loss, layer("l0").norm(norm / 2), layer("l1").norm(norm / 2))));
        }
        return all;
    }

    @Test
    void tinyGradientsWithTheLossAtChanceAreAStall() {
        List<GradientAlert> alerts = stallRun(1e-8, Math.log(4), Math.log(4), 40);
        assertThat(alerts).first().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AlertType.STALLED);
            assertThat(a.severity()).isEqualTo(Severity.WARNING);
            assertThat(a.iteration()).isEqualTo(19); // the 20th tiny snapshot, warm-up (5) done
            assertThat(a.message()).contains("starting level", "not converged");
        });
    }

    @Test
    void tinyGradientsAfterTheLossFellFiftyFoldAreConvergence() {
        assertThat(stallRun(1e-8, Math.log(4), Math.log(4) / 50, 200)).isEmpty();
    }

    @Test
    void lossAtChanceWithGradientsAboveTheBoundIsNotATinyGradientStall() {
        // 199 snapshots: before the going-nowhere rule judges (it needs 200)
        assertThat(stallRun(2e-4, Math.log(4), Math.log(4), 199)).isEmpty();
    }

    /** Scores given per snapshot; the output is a softmax OutputLayer with a bias of 10 units: chance ln 10. */
    private static List<GradientAlert> nowhereRun(int snapshots, IntToDoubleFunction loss,
                                                  double norm, String outActivation) {
        Detector.Session s = StallDetector.defaults().newSession();
        List<GradientAlert> all = new ArrayList<>();
        for (int i = 0; i < snapshots; i++) {
            all.addAll(s.inspect(snapshot(i, loss.applyAsDouble(i), layer("l0").norm(norm).activation("relu"),
                    layer("out").norm(norm).type("OutputLayer").activation(outActivation))));
        }
        return all;
    }

    /**
     * A 4-block ReLU + batch-normalization classifier fed one class per minibatch ended 1,000 iterations near chance
     * with its output layer's gradient near 0.9, and raised nothing. Here: a start of 3.0, then a loss oscillating
     * around a mean just above or just below half of ln 10 (1.1513), gradients alive. The window before the last
     * still holds the start's scores at snapshot 200, so the loss counts as falling until it has left it.
     */
    @ParameterizedTest
    @CsvSource({"1.16, true", "1.14, false"})
    void aLossAtOrAboveHalfOfChanceThatNoLongerFallsWithLiveGradientsIsNotLearning(double mean, boolean fires) {
        List<GradientAlert> alerts = nowhereRun(300, i -> i < 10 ? 3.0 : mean + (i % 2 == 0 ? 0.4 : -0.4), 0.9,
                "softmax");
        if (!fires) {
            assertThat(alerts).isEmpty();
            return;
        }
        assertThat(alerts).first().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AlertType.STALLED);
            assertThat(a.severity()).isEqualTo(Severity.WARNING);
            assertThat(a.iteration()).isBetween(199L, 215L);
            assertThat(a.message()).contains("gone nowhere", "half the chance level of its 10-class softmax output "
                    + "(ln 10 = 2.30) and no longer falling", "gradients are alive (global norm 1.27)");
            assertThat(a.hint()).contains("minibatch composition", "shuffle", "BatchNormalization",
                    "learning rate");
        });
    }

    @Test
    void aLossStillFallingMoreThanTenPercentPerHundredSnapshotsIsLearning() {
        // 2.0 * 0.998^i falls 18% per 100 snapshots and stays above half of ln 10 (1.151) for 276 snapshots
        assertThat(nowhereRun(275, i -> 2.0 * Math.pow(0.998, i), 0.9, "softmax")).isEmpty();
        // 2.0 * 0.9995^i falls 4.9% per 100 snapshots: learning too slowly to call it learning
        assertThat(nowhereRun(300, i -> 2.0 * Math.pow(0.9995, i), 0.9, "softmax")).isNotEmpty();
    }

    @Test
    void withoutAKnownChanceLevelALossAtItsStartIsNotLearning() {
        // identity output: no chance level; the loss hovers at its start of 1.0 (>= 95% of it)
        List<GradientAlert> alerts = nowhereRun(200, i -> 1.0 - (i % 2) * 0.05, 0.5, "identity");
        assertThat(alerts).singleElement().satisfies(a -> assertThat(a.message())
                .contains("is 0.975, at 100% of its start 0.975")); // start: mean of the first ten, below the first
        assertThat(nowhereRun(200, i -> i < 10 ? 1.0 : 0.94, 0.5, "identity")).isEmpty(); // below 95%: moving
    }

    @Test
    void aLossThatFellBelowChanceAndStartStaysQuietAndSoDoesAnEarlyJudgement() {
        assertThat(nowhereRun(1000, i -> 3.0 * Math.exp(-i / 100.0) + 0.1, 0.9, "softmax")).isEmpty();
        assertThat(nowhereRun(199, i -> 3.0, 0.9, "softmax")).isEmpty();
    }

    @Test
    void exactlyZeroGradientsAreLeftToNoGradient() {
        assertThat(stallRun(0, Math.log(4), Math.log(4), 200)).isEmpty();
    }

    @Test
    void buildersRejectBadValuesAndPassEveryOption() {
        assertThatThrownBy(() -> NoGradientDetector.builder().zeroArrays(0)).hasMessage(
                "zeroArrays must be in (0, 1] (got: 0.0)");
        assertThatThrownBy(() -> StallDetector.builder().minImprovement(1)).hasMessageContaining("minImprovement");
        assertThatThrownBy(() -> StallDetector.builder().window(1)).hasMessage("window must be >= 2 (got: 1)");
        assertThat(NoGradientDetector.builder().zeroArrays(1).patience(7).build())
                .isEqualTo(new NoGradientDetector(1, 7));
        assertThat(StallDetector.builder().maxNorm(1e-5).window(30).warmup(4).minImprovement(0.2).build())
                .isEqualTo(new StallDetector(1e-5, 30, 4, 0.2));
    }
}
