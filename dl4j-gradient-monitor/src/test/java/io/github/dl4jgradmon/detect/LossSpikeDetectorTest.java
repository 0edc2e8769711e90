package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static io.github.dl4jgradmon.detect.Snapshots.layer;
import static io.github.dl4jgradmon.detect.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LossSpikeDetectorTest {

    private static Detector.Session warmedUp(int scores) {
        Detector.Session s = LossSpikeDetector.defaults().newSession();
        for (int i = 0; i < scores; i++) {
            assertThat(s.inspect(snapshot(i, 1.0, layer("l")))).isEmpty();
        }
        return s;
    }

    @Test
    void flagsScoreJustAboveTenTimesItsAverage() {
        List<GradientAlert> alerts = warmedUp(25).inspect(snapshot(25, 10.01, layer("l")));
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AlertType.LOSS_SPIKE);
            assertThat(a.isModelWide()).isTrue();
            assertThat(a.value()).isEqualTo(10.01);
            assertThat(a.threshold()).isEqualTo(10.0);
        });
    }

    @Test
    void scoreAtTenTimesItsAverageIsNotASpike() {
        assertThat(warmedUp(25).inspect(snapshot(25, 10.0, layer("l")))).isEmpty();
    }

    @Test
    void doesNotJudgeDuringWarmup() {
        assertThat(warmedUp(24).inspect(snapshot(24, 100.0, layer("l")))).isEmpty();
    }

    @Test
    void fallingLossAndNonFiniteScoresStayQuiet() {
        Detector.Session s = LossSpikeDetector.defaults().newSession();
        for (int i = 0; i < 500; i++) {
            assertThat(s.inspect(snapshot(i, 5.0 * Math.exp(-i / 50.0), layer("l")))).isEmpty();
        }
        assertThat(s.inspect(snapshot(500, Double.NaN, layer("l")))).isEmpty();
    }

    /** A converged classifier: 1.1 at the start, then a moving average near 0.015 over 300 snapshots. */
    private static Detector.Session converged() {
        Detector.Session s = LossSpikeDetector.defaults().newSession();
        for (int i = 0; i < 300; i++) {
            double loss = i < 10 ? 1.1 : 0.015;
            assertThat(s.inspect(snapshot(i, loss, layer("l")))).isEmpty();
        }
        return s;
    }

    /**
     * Two healthy models on 3-class blobs raised LOSS_SPIKE WARNING when a minibatch's loss went from an average of
     * 0.013-0.019 to 0.17-0.19: 10-13x, yet (0.18 - 0.015) / (1.1 - 0.015) = 15% of what the run had learned.
     */
    @Test
    void aSpikeThatGivesBackASmallPartOfWhatWasLearnedIsInfo() {
        List<GradientAlert> alerts = converged().inspect(snapshot(300, 0.18, layer("l")));
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.severity().name()).isEqualTo("INFO");
            assertThat(a.message()).contains("11.9 times its moving average 0.0152")
                    .contains("gives back 15.2% of what the run learned (start 1.10)");
        });
    }

    @ParameterizedTest
    @CsvSource({"0.57, INFO", "1.09, INFO", "1.10, WARNING", "1.5, WARNING"}) // the start is 1.1
    void aSpikeIsAWarningOnceItReachesTheStartingLoss(double spike, String severity) {
        assertThat(converged().inspect(snapshot(300, spike, layer("l")))).singleElement()
                .satisfies(a -> assertThat(a.severity().name()).isEqualTo(severity));
    }

    @Test
    void repeatedSpikesAreFoldedIntoOneAlertAndAnEscalationIsRaisedAtOnce() {
        Detector.Session s = converged();
        int alerts = 0;
        // a spike enters the average capped at 10x it, so not every later 0.18 is above the limit: some are folded
        for (int k = 0; k < 16; k++) { // sixteen jumps to 0.18 over 480 snapshots, quiet batches between them
            alerts += s.inspect(snapshot(300 + 30L * k, 0.18, layer("l"))).size();
            for (int q = 1; q < 30; q++) {
                assertThat(s.inspect(snapshot(300 + 30L * k + q, 0.015, layer("l")))).isEmpty();
            }
        }
        assertThat(alerts).isEqualTo(1);
        assertThat(s.inspect(snapshot(800, 1.5, layer("l")))).singleElement().satisfies(a -> {
            assertThat(a.severity().name()).isEqualTo("WARNING");
            assertThat(a.message()).containsPattern("; [1-9][0-9]* more spikes? since iteration 300 folded into the "
                    + "previous alert$");
        });
    }

    @Test
    void builderRejectsBadValues() {
        assertThatThrownBy(() -> LossSpikeDetector.builder().factor(1)).hasMessage("factor must be > 1.0 (got: 1.0)");
        assertThatThrownBy(() -> LossSpikeDetector.builder().warmup(0)).hasMessageContaining("warmup");
        assertThatThrownBy(() -> LossSpikeDetector.builder().alpha(0)).hasMessageContaining("alpha");
        assertThat(LossSpikeDetector.builder().factor(5).warmup(3).alpha(0.5).build())
                .isEqualTo(new LossSpikeDetector(5, 3, 0.5));
    }
}
