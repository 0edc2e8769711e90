package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.github.dl4jgradmon.detect.Snapshots.norms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExplodingDetectorTest {

    /** Only the rule under test: the others are pushed out of reach. */
    private static ExplodingDetector.Builder quiet() {
        return ExplodingDetector.builder().maxNorm(Double.POSITIVE_INFINITY).zThreshold(1e9).growthFactor(1e9)
                .maxLayerRatio(1e9);
    }

    @Test
    void flagsLayerJustAboveTheCeilingButNotAtIt() {
        Detector.Session s = quiet().maxNorm(100).build().newSession();
        assertThat(s.inspect(norms(0, 100.0))).isEmpty();
        List<GradientAlert> alerts = s.inspect(norms(1, 100.001));
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.layer()).isEqualTo("layer0");
            assertThat(a.value()).isEqualTo(100.001);
            assertThat(a.threshold()).isEqualTo(100);
            assertThat(a.severity()).isEqualTo(Severity.WARNING);
            assertThat(a.hint()).contains(".gradientNormalization(GradientNormalization.ClipL2PerLayer)");
        });
    }

    @Test
    void flagsGlobalNormOverTheCeilingAsModelWideWhenNoLayerIsOver() {
        Detector.Session s = quiet().maxNorm(100).build().newSession();
        List<GradientAlert> alerts = s.inspect(norms(0, 80.0, 80.0)); // global sqrt(2) * 80 = 113
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.isModelWide()).isTrue();
            assertThat(a.value()).isCloseTo(Math.sqrt(2) * 80, org.assertj.core.data.Offset.offset(1e-9));
        });
    }

    @Test
    void flagsOneFiniteStepOfRunawayGrowthBeforeTheNan() {
        Detector.Session s = ExplodingDetector.defaults().newSession();
        assertThat(s.inspect(norms(0, 1.0))).isEmpty();
        List<GradientAlert> alerts = s.inspect(norms(1, 1e4));
        assertThat(alerts).anySatisfy(a -> {
            assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(a.iteration()).isEqualTo(1);
            assertThat(a.message()).contains("diverging");
        });
    }

    @Test
    void growthNeedsMoreThanTheFactorTimesTheBaseline() {
        Detector.Session atFactor = quiet().growthFactor(10).build().newSession();
        atFactor.inspect(norms(0, 1.0));
        assertThat(atFactor.inspect(norms(1, 10.0))).isEmpty();

        Detector.Session above = quiet().growthFactor(10).build().newSession();
        above.inspect(norms(0, 1.0));
        assertThat(above.inspect(norms(1, 10.01))).singleElement()
                .satisfies(a -> assertThat(a.threshold()).isEqualTo(10.0));
    }

    @Test
    void flagsSustainedDoublingBeforeTheNormGetsLarge() {
        Detector.Session s = ExplodingDetector.defaults().newSession();
        Random random = new Random(1);
        int i = 0;
        for (; i < 100; i++) {
            assertThat(s.inspect(norms(i, Math.exp(0.3 * random.nextGaussian())))).isEmpty();
        }
        long firstAlert = -1;
        double norm = 1.0;
        for (; i < 130 && firstAlert < 0; i++) {
            norm *= 2;
            if (!s.inspect(norms(i, norm)).isEmpty()) {
                firstAlert = i;
            }
        }
        // baseline near 1 with log-std near 0.3: the spike rule (z > 5) fires near 8x, the growth rule above 10x
        assertThat(firstAlert).isBetween(100L, 104L);
    }

    @Test
    void staysQuietOnHeavyTailedHealthyNoise() {
        Detector.Session s = ExplodingDetector.defaults().newSession();
        Random random = new Random(42);
        List<GradientAlert> all = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            double trend = Math.exp(-i / 2_000.0); // slowly shrinking, like a converging run
            double l0 = trend * Math.exp(0.4 * random.nextGaussian());
            double l1 = 2 * trend * Math.exp(0.4 * random.nextGaussian());
            all.addAll(s.inspect(norms(i, l0, l1)));
        }
        assertThat(all).isEmpty();
    }

    @Test
    void flagsASpikeAgainstItsOwnBaselineOnlyAfterWarmup() {
        Detector.Session s = quiet().zThreshold(5).warmup(25).build().newSession();
        for (int i = 0; i < 24; i++) {
            s.inspect(norms(i, 1.0));
        }
        assertThat(s.inspect(norms(24, 8.0))).as("still warming up").isEmpty();
        for (int i = 25; i < 60; i++) {
            s.inspect(norms(i, 1.0));
        }
        List<GradientAlert> alerts = s.inspect(norms(60, 8.0));
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.layer()).isEqualTo("layer0");
            assertThat(a.value()).isGreaterThan(5);
            assertThat(a.message()).contains("spiked", "z-score");
        });
    }

    @ParameterizedTest
    @CsvSource({"0.99, false", "1.01, true"})
    void spikeBoundaryIsZThresholdTimesTheStdFloorInLogUnits(double logJump, boolean fires) {
        // constant norms: variance 0, so the floor 0.2 applies and z = ln(norm) / 0.2
        Detector.Session s = quiet().zThreshold(5).warmup(5).build().newSession();
        for (int i = 0; i < 10; i++) {
            s.inspect(norms(i, 1.0));
        }
        assertThat(s.inspect(norms(10, Math.exp(logJump))).isEmpty()).isEqualTo(!fires);
    }

    @Test
    void flagsLayerRatioAboveSeventyOnlyAfterItPersists() {
        Detector.Session s = quiet().maxLayerRatio(70).ratioPatience(5).build().newSession();
        for (int i = 0; i < 4; i++) {
            assertThat(s.inspect(norms(i, 71.0, 1.0))).isEmpty();
        }
        assertThat(s.inspect(norms(4, 71.0, 1.0))).singleElement().satisfies(a -> {
            assertThat(a.layer()).isEqualTo("layer0");
            assertThat(a.value()).isEqualTo(71.0);
            assertThat(a.threshold()).isEqualTo(70.0);
            assertThat(a.hint()).contains("normalize the input");
        });
    }

    @Test
    void layerRatioAtTheThresholdOrInterruptedDoesNotFire() {
        Detector.Session s = quiet().maxLayerRatio(70).ratioPatience(3).build().newSession();
        for (int i = 0; i < 10; i++) {
            assertThat(s.inspect(norms(i, 70.0, 1.0))).isEmpty();
        }
        s.inspect(norms(10, 80.0, 1.0));
        s.inspect(norms(11, 80.0, 1.0));
        s.inspect(norms(12, 1.0, 1.0));
        assertThat(s.inspect(norms(13, 80.0, 1.0))).isEmpty();
    }

    @Test
    void builderRejectsBadValuesNamingTheOption() {
        assertThatThrownBy(() -> ExplodingDetector.builder().zThreshold(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("zThreshold must be > 0 (got: -1.0)");
        assertThatThrownBy(() -> ExplodingDetector.builder().maxNorm(Double.NaN)).hasMessageContaining("maxNorm");
        assertThatThrownBy(() -> ExplodingDetector.builder().alpha(1.0)).hasMessage("alpha must be in (0, 1) (got: 1.0)");
        assertThatThrownBy(() -> ExplodingDetector.builder().growthFactor(1)).hasMessageContaining("growthFactor");
        assertThatThrownBy(() -> ExplodingDetector.builder().warmup(0)).hasMessage("warmup must be >= 1 (got: 0)");
        assertThatThrownBy(() -> ExplodingDetector.builder().ratioPatience(0)).hasMessageContaining("ratioPatience");
        assertThatThrownBy(() -> ExplodingDetector.builder().maxLayerRatio(0.5)).hasMessageContaining("maxLayerRatio");
    }

    @Test
    void everyBuilderOptionReachesTheDetector() {
        ExplodingDetector d = ExplodingDetector.builder().maxNorm(50).zThreshold(3).warmup(7).alpha(0.9)
                .growthFactor(4).maxLayerRatio(40).ratioPatience(2).build();
        assertThat(d).isEqualTo(new ExplodingDetector(50, 3, 7, 0.9, 4, 40, 2));
        assertThat(d.type()).isEqualTo(AlertType.EXPLODING);
    }
}
