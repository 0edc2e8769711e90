package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;
import io.github.dl4jgradmon.stats.UnwatchedLayers;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.github.dl4jgradmon.detect.Snapshots.layer;
import static io.github.dl4jgradmon.detect.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Detectors that compare the first and last layers judge a filtered snapshot only where it holds both: where the
 * filter left one out they stay quiet rather than judge part of the model; NON_FINITE still sees the unwatched part.
 */
class FilteredSnapshotDetectorsTest {

    /** {@code s} as the monitor would report it under a filter that watches {@code watched}. */
    private static GradientSnapshot filtered(GradientSnapshot s, boolean[] watched, long nan) {
        List<LayerGradientStats> layers = new ArrayList<>();
        int left = 0;
        for (int i = 0; i < watched.length; i++) {
            if (watched[i]) {
                layers.add(s.layers().get(i));
            } else {
                left++;
            }
        }
        return new GradientSnapshot(s.workerId(), s.iteration(), s.epoch(), s.score(), s.batchSize(),
                s.globalGradientNorm(), s.timestampMillis(), layers, s.reaction(),
                s.graph().restrictedTo(watched), Optional.empty(),
                Optional.of(new UnwatchedLayers("layers=[...]", left, 100L * left, nan > 0 ? Double.NaN : 1.0, nan, 0)));
    }

    private static GradientSnapshot vanishing(long iteration) {
        return snapshot(iteration, 1.0, layer("first").norm(1e-7), layer("middle").norm(1e-3),
                layer("out").norm(1.0));
    }

    @Test
    void vanishingJudgesTheFullModelButStaysQuietWhenTheFilterLeavesOutTheOutputLayer() {
        VanishingDetector d = VanishingDetector.builder().patience(1).build();
        assertThat(d.newSession().inspect(vanishing(0))).extracting(GradientAlert::type)
                .containsExactly(AlertType.VANISHING);
        Detector.Session quiet = d.newSession();
        for (int i = 0; i < 5; i++) {
            assertThat(quiet.inspect(filtered(vanishing(i), new boolean[] {true, true, false}, 0))).isEmpty();
        }
    }

    @Test
    void vanishingStaysQuietWhenTheFilterLeavesOutTheFirstLayer() {
        Detector.Session quiet = VanishingDetector.builder().patience(1).build().newSession();
        for (int i = 0; i < 5; i++) {
            assertThat(quiet.inspect(filtered(vanishing(i), new boolean[] {false, true, true}, 0))).isEmpty();
        }
    }

    @Test
    void vanishingStillJudgesTheFirstAgainstTheLastWhenTheFilterKeepsBoth() {
        Detector.Session s = VanishingDetector.builder().patience(1).build().newSession();
        assertThat(s.inspect(filtered(vanishing(0), new boolean[] {true, false, true}, 0)))
                .singleElement().satisfies(a -> assertThat(a.layer()).isEqualTo("first"));
    }

    @Test
    void layerRatioRuleStaysQuietWhenTheFilterLeavesOutTheOutputLayer() {
        ExplodingDetector d = ExplodingDetector.builder().ratioPatience(1).build();
        GradientSnapshot ratio = snapshot(0, 1.0, layer("first").norm(500), layer("middle").norm(5),
                layer("out").norm(1.0));
        assertThat(d.newSession().inspect(ratio)).extracting(GradientAlert::message)
                .anySatisfy(m -> assertThat(m).contains("layer-ratio"));
        assertThat(d.newSession().inspect(filtered(ratio, new boolean[] {true, true, false}, 0)))
                .extracting(GradientAlert::message).noneSatisfy(m -> assertThat(m).contains("layer-ratio"));
    }

    @Test
    void inputScaleHintComparesWithTheOtherLayersOnlyOnTheWholeModel() {
        GradientSnapshot first = snapshot(0, 3.0, layer("l0").norm(50), layer("l1").norm(0.2),
                layer("out").norm(0.4));
        GradientSnapshot nan = snapshot(1, Double.NaN, layer("l0").nan(3), layer("l1").norm(0.2),
                layer("out").norm(0.4));
        Detector.Session whole = NonFiniteDetector.defaults().newSession();
        whole.inspect(first);
        assertThat(whole.inspect(nan)).singleElement()
                .satisfies(a -> assertThat(a.hint()).startsWith("normalize the input features first"));

        boolean[] watched = {true, false, true};
        Detector.Session part = NonFiniteDetector.defaults().newSession();
        part.inspect(filtered(first, watched, 0));
        assertThat(part.inspect(filtered(nan, watched, 0))).singleElement()
                .satisfies(a -> assertThat(a.hint()).isEqualTo(Hints.NON_FINITE));
    }

    @Test
    void nonFiniteAlertsOnANanThatOnlyTheUnwatchedLayersHold() {
        GradientSnapshot s = filtered(snapshot(4, 0.7, layer("l0").norm(1), layer("l1").norm(1),
                layer("out").norm(1)), new boolean[] {false, false, true}, 2);
        assertThat(s.isFinite()).isFalse();
        assertThat(NonFiniteDetector.defaults().newSession().inspect(s)).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AlertType.NON_FINITE);
            assertThat(a.layer()).isEqualTo(GradientAlert.MODEL);
            assertThat(a.value()).isEqualTo(2);
            assertThat(a.message()).contains("2 layers the layer filter leaves out (layers=[...]) has 2 NaN and 0 Inf");
        });
    }
}
