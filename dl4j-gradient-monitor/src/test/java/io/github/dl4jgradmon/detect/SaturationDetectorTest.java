package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SaturationDetectorTest {

    private static List<GradientAlert> feed(Detector.Session session, int snapshots, double saturation) {
        List<GradientAlert> last = List.of();
        for (int i = 0; i < snapshots; i++) {
            GradientSnapshot s = Snapshots.snapshot(i, 1.0, Snapshots.layer("sig").saturation(saturation),
                    Snapshots.layer("relu"), Snapshots.layer("out"));
            last = session.inspect(s);
        }
        return last;
    }

    @Test
    void flagsALayerWhoseMeanSaturationIsAboveTheThresholdOnceTheWindowIsFull() {
        Detector d = SaturationDetector.builder().threshold(0.5).window(4).build();
        Detector.Session session = d.newSession();
        assertThat(feed(session, 3, 0.9)).as("window not full yet").isEmpty();
        List<GradientAlert> alerts = feed(session, 1, 0.9);
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AlertType.SATURATION);
            assertThat(a.layer()).isEqualTo("sig");
            assertThat(a.value()).isEqualTo(0.9, within(1e-12));
            assertThat(a.hint()).contains("NormalizerStandardize");
        });
    }

    @Test
    void justAboveAndAtTheThreshold() {
        assertThat(feed(SaturationDetector.builder().threshold(0.5).window(3).build().newSession(), 3, 0.5001))
                .hasSize(1);
        assertThat(feed(SaturationDetector.builder().threshold(0.5).window(3).build().newSession(), 3, 0.5))
                .as("at the threshold: not more than half").isEmpty();
    }

    @Test
    void layersWithoutAMeasurementAreSkipped() {
        assertThat(feed(SaturationDetector.defaults().newSession(), 30, Double.NaN)).isEmpty();
    }

    /** Corpus finding F3: a sigmoid layer at the bar in a multi-output graph that reached 100%, loss at 11%. */
    @Test
    void saturationIsInfoOnceTheLossFellBelowAQuarterOfItsStart() {
        Detector.Session learned = SaturationDetector.defaults().newSession();
        Detector.Session stuck = SaturationDetector.defaults().newSession();
        List<GradientAlert> a = List.of();
        List<GradientAlert> b = List.of();
        for (int i = 0; i < 60; i++) {
            a = learned.inspect(Snapshots.snapshot(i, i < 10 ? 5.2 : 0.55,
                    Snapshots.layer("ffn0").saturation(0.501), Snapshots.layer("out")));
            b = stuck.inspect(Snapshots.snapshot(i, 5.2, Snapshots.layer("ffn0").saturation(0.501),
                    Snapshots.layer("out")));
        }
        assertThat(a).singleElement().satisfies(x -> {
            assertThat(x.severity()).isEqualTo(Severity.INFO);
            assertThat(x.message()).contains("costs little");
        });
        assertThat(b).singleElement()
                .satisfies(x -> assertThat(x.severity()).isEqualTo(Severity.WARNING));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -0.1, 1.5, Double.NaN})
    void rejectsBadThresholds(double bad) {
        assertThatThrownBy(() -> SaturationDetector.builder().threshold(bad)).hasMessageContaining("threshold");
        assertThatThrownBy(() -> SaturationDetector.builder().window(0)).hasMessageContaining("window must be >= 1");
    }
}
