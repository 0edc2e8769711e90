package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import org.junit.jupiter.api.Test;

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

    @Test
    void builderRejectsBadValues() {
        assertThatThrownBy(() -> LossSpikeDetector.builder().factor(1)).hasMessage("factor must be > 1.0 (got: 1.0)");
        assertThatThrownBy(() -> LossSpikeDetector.builder().warmup(0)).hasMessageContaining("warmup");
        assertThatThrownBy(() -> LossSpikeDetector.builder().alpha(0)).hasMessageContaining("alpha");
        assertThat(LossSpikeDetector.builder().factor(5).warmup(3).alpha(0.5).build())
                .isEqualTo(new LossSpikeDetector(5, 3, 0.5));
    }
}
