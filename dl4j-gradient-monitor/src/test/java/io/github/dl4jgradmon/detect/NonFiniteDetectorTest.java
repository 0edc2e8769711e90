package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.github.dl4jgradmon.detect.Snapshots.layer;
import static io.github.dl4jgradmon.detect.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

class NonFiniteDetectorTest {

    private final Detector.Session session = NonFiniteDetector.defaults().newSession();

    @Test
    void finiteSnapshotRaisesNothingAndAllocatesNothing() {
        List<GradientAlert> alerts = session.inspect(Snapshots.norms(0, 1.0, 0.5));
        assertThat(alerts).isEmpty();
        assertThat(alerts).isSameAs(List.of());
    }

    @Test
    void reportsNanAtTheIterationItAppears() {
        for (int i = 0; i < 5; i++) {
            assertThat(session.inspect(Snapshots.norms(i, 1.0, 0.5))).isEmpty();
        }
        List<GradientAlert> alerts = session.inspect(snapshot(5, 2.0, layer("layer0").nan(3), layer("layer1")));
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AlertType.NON_FINITE);
            assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(a.iteration()).isEqualTo(5);
            assertThat(a.layer()).isEqualTo("layer0");
            assertThat(a.param()).contains("W");
            assertThat(a.value()).isEqualTo(3);
            assertThat(a.message()).contains("layer0", "3 NaN");
            assertThat(a.hint()).contains("GradientNormalization.ClipL2PerLayer", "skipNonFiniteSteps");
        });
    }

    @Test
    void namesTheLastLayerWithNanBecauseBackpropStartsAtTheOutput() {
        List<GradientAlert> alerts = session.inspect(snapshot(7, 1.0,
                layer("in").nan(10), layer("hidden").inf(2), layer("hidden2"), layer("out")));
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.layer()).isEqualTo("hidden");
            assertThat(a.value()).isEqualTo(2);
            assertThat(a.layers()).containsExactly("in", "hidden");
            assertThat(a.message()).contains("affected in all: 2 layers: in, hidden", "12 non-finite entries");
        });
    }

    @Test
    void reportsNonFiniteScoreWithFiniteGradientsAsModelWide() {
        List<GradientAlert> alerts = session.inspect(snapshot(3, Double.POSITIVE_INFINITY, layer("layer0")));
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.isModelWide()).isTrue();
            assertThat(a.param()).isEmpty();
            assertThat(a.message()).contains("score is Infinity");
        });
    }

    @Test
    void ignoresScoreWhenConfiguredTo() {
        Detector.Session gradientsOnly = NonFiniteDetector.builder().checkScore(false).build().newSession();
        assertThat(gradientsOnly.inspect(snapshot(3, Double.NaN, layer("layer0")))).isEmpty();
        assertThat(NonFiniteDetector.builder().checkScore(false).build().checkScore()).isFalse();
    }
}
