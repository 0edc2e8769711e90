package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static io.github.dl4jgradmon.detect.Snapshots.norms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VanishingDetectorTest {

    @Test
    void flagsEarlyLayersOnlyAfterFiveConsecutiveSnapshots() {
        Detector.Session s = VanishingDetector.defaults().newSession();
        for (int i = 0; i < 4; i++) {
            assertThat(s.inspect(norms(i, 1e-7, 1e-6, 0.1, 0.5))).isEmpty();
        }
        List<GradientAlert> alerts = s.inspect(norms(4, 1e-7, 1e-6, 0.1, 0.5));
        assertThat(alerts).as("one alert for the condition, naming both layers").singleElement().satisfies(a -> {
            assertThat(a.layer()).isEqualTo("layer0");
            assertThat(a.layers()).containsExactly("layer0", "layer1");
            assertThat(a.type()).isEqualTo(AlertType.VANISHING);
            assertThat(a.severity()).isEqualTo(Severity.WARNING);
            assertThat(a.value()).isCloseTo(2e-7, Offset.offset(1e-12));
            assertThat(a.threshold()).isEqualTo(1e-3);
            assertThat(a.message()).contains("layer0", "layer3", "5 snapshots", "2 layers: layer0, layer1");
            assertThat(a.hint()).contains(".activation(Activation.RELU).weightInit(WeightInit.RELU)",
                    "BatchNormalization");
        });
    }

    /**
     * Adam(1.0) on a ReLU MLP: VANISHING told a ReLU network to "use ReLU instead of sigmoid/tanh". The hint follows
     * the vanishing layers' activation.
     */
    @ParameterizedTest
    @CsvSource({"relu, use ReLU already, instead of", "leakyrelu, use ReLU already, instead of",
            "sigmoid, instead of sigmoid/tanh, use ReLU already", "tanh, instead of sigmoid/tanh, use ReLU already"})
    void hintFollowsTheVanishingLayersActivation(String activation, String says, String doesNotSay) {
        Detector.Session s = VanishingDetector.defaults().newSession();
        List<GradientAlert> alerts = List.of();
        for (int i = 0; i < 5; i++) {
            alerts = s.inspect(Snapshots.snapshot(i, 1.0, Snapshots.layer("h0").norm(1e-7).activation(activation),
                    Snapshots.layer("h1").norm(1e-6).activation(activation),
                    Snapshots.layer("out").norm(0.5).activation("softmax").type("OutputLayer")));
        }
        assertThat(alerts).singleElement().satisfies(a -> assertThat(a.hint()).contains(says)
                .doesNotContain(doesNotSay));
    }

    /** Corpus finding F5: a born-dead ReLU stack (only biases above the dead layer learn) is NO_GRADIENT's, not this. */
    @Test
    void staysQuietWhereNearlyEveryArrayIsExactlyZero() {
        Detector.Session s = VanishingDetector.defaults().newSession();
        for (int i = 0; i < 20; i++) {
            Snapshots.Layer[] layers = new Snapshots.Layer[6];
            for (int l = 0; l < 5; l++) {
                layers[l] = Snapshots.layer("layer" + l).norm(0).weightZeros(1).biasZeros(1);
            }
            layers[5] = Snapshots.layer("out").norm(0.3).weightZeros(1); // only its bias learns: 11 of 12 arrays zero
            assertThat(s.inspect(Snapshots.snapshot(i, 1.0, layers))).isEmpty();
        }
    }

    /** Corpus finding F5b: features all negative kill the first ReLU layer; its gradient is exactly zero, not small. */
    @Test
    void anExactlyZeroLayerIsDeadNotVanishing() {
        Detector.Session s = VanishingDetector.defaults().newSession();
        for (int i = 0; i < 20; i++) {
            assertThat(s.inspect(norms(i, 0.0, 0.2, 0.3))).isEmpty();
        }
    }

    @Test
    void staysQuietOnAConvergedNetWithSmallGradientsEverywhere() {
        Detector.Session s = VanishingDetector.defaults().newSession();
        for (int i = 0; i < 100; i++) {
            assertThat(s.inspect(norms(i, 1e-7, 2e-7, 1e-7, 3e-7))).isEmpty();
        }
    }

    @Test
    void interruptionRestartsThePatienceCount() {
        Detector.Session s = VanishingDetector.builder().patience(3).build().newSession();
        s.inspect(norms(0, 1e-7, 1.0));
        s.inspect(norms(1, 1e-7, 1.0));
        s.inspect(norms(2, 1.0, 1.0));
        assertThat(s.inspect(norms(3, 1e-7, 1.0))).isEmpty();
        assertThat(s.inspect(norms(4, 1e-7, 1.0))).isEmpty();
        assertThat(s.inspect(norms(5, 1e-7, 1.0))).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource({"1.0e-3, false", "0.99e-3, true"})
    void ratioMustBeBelowTheThreshold(double firstNorm, boolean fires) {
        Detector.Session s = VanishingDetector.builder().maxFirstLayerNorm(1).patience(1).build().newSession();
        assertThat(s.inspect(norms(0, firstNorm, 1.0)).isEmpty()).isEqualTo(!fires);
    }

    @ParameterizedTest
    @CsvSource({"1.0e-4, false", "0.99e-4, true"})
    void firstLayerNormMustBeBelowItsBound(double firstNorm, boolean fires) {
        Detector.Session s = VanishingDetector.builder().patience(1).build().newSession();
        assertThat(s.inspect(norms(0, firstNorm, 1.0)).isEmpty()).isEqualTo(!fires);
    }

    @Test
    void singleLayerModelsAndZeroLastLayerAreNotJudged() {
        Detector.Session s = VanishingDetector.builder().patience(1).build().newSession();
        assertThat(s.inspect(norms(0, 1e-9))).isEmpty();
        assertThat(s.inspect(norms(1, 1e-9, 0.0))).isEmpty();
    }

    @Test
    void builderRejectsBadValuesAndKeepsGoodOnes() {
        assertThatThrownBy(() -> VanishingDetector.builder().minLayerRatio(1.5))
                .hasMessage("minLayerRatio must be in (0, 1) (got: 1.5)");
        assertThatThrownBy(() -> VanishingDetector.builder().maxFirstLayerNorm(0)).hasMessageContaining("maxFirstLayerNorm");
        assertThatThrownBy(() -> VanishingDetector.builder().patience(0)).hasMessage("patience must be >= 1 (got: 0)");
        assertThat(VanishingDetector.builder().minLayerRatio(1e-4).maxFirstLayerNorm(1e-5).patience(9).build())
                .isEqualTo(new VanishingDetector(1e-4, 1e-5, 9));
    }
}
