package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.github.dl4jgradmon.detect.Snapshots.layer;
import static io.github.dl4jgradmon.detect.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UpdateRatioDetectorTest {

    @Test
    void flagsTooLargeUpdatesOnceTheWindowIsFull() {
        Detector.Session s = UpdateRatioDetector.defaults().newSession();
        for (int i = 0; i < 69; i++) { // 50 warm-up snapshots, then a window of 20
            assertThat(s.inspect(snapshot(i, 1.0, layer("layer0").updateRatio(0.5)))).isEmpty();
        }
        List<GradientAlert> alerts = s.inspect(snapshot(69, 1.0, layer("layer0").updateRatio(0.5)));
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AlertType.UPDATE_RATIO);
            assertThat(a.severity()).isEqualTo(Severity.WARNING);
            assertThat(a.value()).isCloseTo(Math.log10(0.5), Offset.offset(1e-12));
            assertThat(a.threshold()).isEqualTo(-0.5);
            assertThat(a.hint()).contains("lower the learning rate");
        });
    }

    /** Corpus finding F4: an SGD sigmoid MLP whose output layer moves ~20% per step while the loss falls fast. */
    @Test
    void largeUpdatesWhileTheLossKeepsFallingAreInfoAndNotJudgedDuringWarmup() {
        Detector.Session s = UpdateRatioDetector.defaults().newSession();
        List<GradientAlert> all = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            all.addAll(s.inspect(snapshot(i, 2.0, layer("out").updateRatio(0.5))));
        }
        assertThat(all).as("warm-up").isEmpty();
        double loss = 2.0;
        for (int i = 50; i < 120; i++) {
            loss *= 0.99;
            all.addAll(s.inspect(snapshot(i, loss, layer("out").updateRatio(0.4))));
        }
        assertThat(all).isNotEmpty().allSatisfy(a -> assertThat(a.severity()).isEqualTo(Severity.INFO));
    }

    /**
     * Zoo TextGenerationLSTM (RmsProp(0.01), its default): trained from 120 to 28 (chance 120), its second LSTM kept
     * moving ~10% per step once the loss had levelled off. Large updates in a net that learned are advice, not an
     * alarm: INFO once the loss average is below half its start.
     */
    @Test
    void largeUpdatesAfterTheLossFellBelowHalfItsStartAreInfo() {
        Detector.Session s = UpdateRatioDetector.defaults().newSession();
        List<GradientAlert> all = new java.util.ArrayList<>();
        for (int i = 0; i < 120; i++) {
            double loss = i < 10 ? 120 : 30; // learned, then flat
            all.addAll(s.inspect(snapshot(i, loss, layer("layer1").updateRatio(0.4))));
        }
        assertThat(all).isNotEmpty().allSatisfy(a -> assertThat(a.severity()).isEqualTo(Severity.INFO));
    }

    /**
     * Zoo TextGenerationLSTM again, earlier in the same run: at iterations 130-136 its loss sat on a plateau above
     * half its start while its second LSTM moved ~10% per step (mean log10 -0.99); it then learned 120 -> 28. With
     * the bar at -1 that was a WARNING ("lower the learning rate") on a healthy run. The bar is now -0.5: a step that
     * changes the weights by about a third.
     */
    @Test
    void tenPercentUpdatesOnALossPlateauAreNotAWarning() {
        Detector.Session s = UpdateRatioDetector.defaults().newSession();
        List<GradientAlert> all = new java.util.ArrayList<>();
        for (int i = 0; i < 140; i++) {
            all.addAll(s.inspect(snapshot(i, i < 10 ? 120 : 75, layer("layer1").updateRatio(0.103))));
        }
        assertThat(all).noneMatch(a -> a.severity().isAtLeast(Severity.WARNING));
    }

    @Test
    void flagsTinyUpdatesAsInfo() {
        Detector.Session s = UpdateRatioDetector.builder().window(3).warmup(0).build().newSession();
        List<GradientAlert> last = List.of();
        for (int i = 0; i < 3; i++) {
            last = s.inspect(snapshot(i, 1.0, layer("layer0").updateRatio(1e-7)));
        }
        assertThat(last).singleElement().satisfies(a -> {
            assertThat(a.severity()).isEqualTo(Severity.INFO);
            assertThat(a.hint()).contains("raise the learning rate");
        });
    }

    @Test
    void healthyRatiosJustInsideTheBoundsStayQuiet() {
        Detector.Session s = UpdateRatioDetector.builder().window(3).warmup(0).build().newSession();
        for (int i = 0; i < 10; i++) {
            assertThat(s.inspect(snapshot(i, 1.0, layer("a").updateRatio(0.1), layer("b").updateRatio(1e-6),
                    layer("c").updateRatio(1e-3)))).isEmpty();
        }
    }

    @Test
    void unknownRatiosAreSkippedAndDoNotFillTheWindow() {
        Detector.Session s = UpdateRatioDetector.builder().window(3).warmup(0).build().newSession();
        assertThat(s.inspect(snapshot(0, 1.0, layer("a").updateRatio(0.9)))).isEmpty();
        assertThat(s.inspect(snapshot(1, 1.0, layer("a").updateRatio(Double.NaN)))).isEmpty();
        assertThat(s.inspect(snapshot(2, 1.0, layer("a").updateRatio(0.9)))).isEmpty();
        assertThat(s.inspect(snapshot(3, 1.0, layer("a").updateRatio(0.9)))).hasSize(1);
    }

    @Test
    void builderChecksEachValueAndTheirOrder() {
        assertThatThrownBy(() -> UpdateRatioDetector.builder().maxLog10(-7).build())
                .hasMessage("minLog10 must be < maxLog10 (got: minLog10 -6.0, maxLog10 -7.0)");
        assertThatThrownBy(() -> UpdateRatioDetector.builder().minLog10(Double.NEGATIVE_INFINITY))
                .hasMessageContaining("minLog10");
        assertThatThrownBy(() -> UpdateRatioDetector.builder().window(0)).hasMessageContaining("window");
        assertThat(UpdateRatioDetector.builder().maxLog10(-2).minLog10(-4).window(5).warmup(7).build())
                .isEqualTo(new UpdateRatioDetector(-2, -4, 5, 7));
        assertThatThrownBy(() -> UpdateRatioDetector.builder().warmup(-1)).hasMessage("warmup must be >= 0 (got: -1)");
    }

    @Test
    void setterOrderDoesNotMatterForThePairRule() {
        assertThat(UpdateRatioDetector.builder().maxLog10(-7).minLog10(-8).build())
                .isEqualTo(new UpdateRatioDetector(-7, -8, 20, 50));
    }
}
