package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.github.dl4jgradmon.detect.Snapshots.layer;
import static io.github.dl4jgradmon.detect.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Inputs scaled by 1e4 (EXPLODING at iteration 1, NON_FINITE at 3) got no hint to normalize them. The first step's
 * gradients point at the inputs: in that run (a 20-32-32-4 ReLU MLP, Xavier) every layer's gradient was about 5e3
 * against parameter norms of a few units, since ReLU passes the scale on; behind a saturating layer only the first
 * layer's gradient carries it. Synthetic snapshots have parameter norm 1 in every layer.
 */
class InputScaleTest {

    @Test
    void explodingAlertSaysToNormalizeTheInputsWhenTheFirstGradientWasHugeAgainstTheWeights() {
        Detector.Session s = ExplodingDetector.defaults().newSession();
        assertThat(s.inspect(snapshot(0, 12.2, layer("l0").norm(5.6e3), layer("l1").norm(6.0e3),
                layer("out").norm(5.2e3)))).isEmpty();
        List<GradientAlert> alerts = s.inspect(snapshot(1, 18.7, layer("l0").norm(2.96e6), layer("l1").norm(4.2e6),
                layer("out").norm(3.17e6)));
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AlertType.EXPLODING);
            assertThat(a.hint()).startsWith("normalize the input features first")
                    .contains("the gradient of layer 'l0' (DenseLayer) (5.60e+03) was 5.60e+03 times the norm of its "
                            + "parameters")
                    .endsWith("; then " + Hints.EXPLODING);
        });
    }

    @Test
    void firstLayerDwarfingTheOthersAtTheFirstStepAlsoPointsAtTheInputs() {
        Detector.Session s = NonFiniteDetector.defaults().newSession();
        assertThat(s.inspect(snapshot(0, 3.0, layer("l0").norm(50), layer("l1").norm(0.2),
                layer("out").norm(0.4)))).isEmpty();
        List<GradientAlert> alerts = s.inspect(snapshot(1, Double.NaN, layer("l0").nan(3), layer("l1").norm(0.2),
                layer("out").norm(0.4)));
        assertThat(alerts).singleElement().satisfies(a -> assertThat(a.hint())
                .startsWith("normalize the input features first").contains("(50.0) was 125 times the largest of the "
                        + "other layers'").endsWith("; then " + Hints.NON_FINITE));
    }

    @Test
    void justBelowAHundredTimesIsNoEvidence() {
        Detector.Session s = NonFiniteDetector.defaults().newSession();
        s.inspect(snapshot(0, 3.0, layer("l0").norm(39.9), layer("l1").norm(0.4), layer("out").norm(0.4)));
        List<GradientAlert> alerts = s.inspect(snapshot(1, Double.NaN, layer("l0").nan(3), layer("l1").norm(0.2),
                layer("out").norm(0.4)));
        assertThat(alerts).singleElement().satisfies(a -> assertThat(a.hint()).isEqualTo(Hints.NON_FINITE));
    }

    @Test
    void aWellScaledFirstStepKeepsTheUsualHint() {
        Detector.Session s = ExplodingDetector.defaults().newSession();
        assertThat(s.inspect(snapshot(0, 1.1, layer("l0").norm(0.5), layer("l1").norm(0.3),
                layer("out").norm(0.2)))).isEmpty();
        List<GradientAlert> alerts = s.inspect(snapshot(1, 18.7, layer("l0").norm(2.96e6), layer("l1").norm(4.2e6),
                layer("out").norm(3.17e6)));
        assertThat(alerts).singleElement().satisfies(a -> assertThat(a.hint()).isEqualTo(Hints.EXPLODING));
    }
}
