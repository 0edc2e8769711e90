package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import org.assertj.core.data.Offset;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
                .maxLayerRatio(1e9).maxRms(Double.POSITIVE_INFINITY);
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
            assertThat(a.value()).isCloseTo(Math.sqrt(2) * 80, Offset.offset(1e-9));
        });
    }

    @Test
    void judgesNoGrowthDuringTheScaleWindow() {
        Detector.Session s = quiet().growthFactor(10).scaleWindow(10).build().newSession();
        assertThat(s.inspect(norms(0, 1e-8))).isEmpty();
        for (int i = 1; i < 10; i++) {
            assertThat(s.inspect(norms(i, Math.pow(10, i)))).as("warm-up %s", i).isEmpty();
        }
    }

    @Test
    void growthNeedsMoreThanTheFactorTimesTheLargestEarlyNorm() {
        Detector.Session atFactor = quiet().growthFactor(10).scaleWindow(5).build().newSession();
        Detector.Session above = quiet().growthFactor(10).scaleWindow(5).build().newSession();
        double[] early = {0.5, 1.0, 0.7, 0.2, 0.9}; // the scale is the largest: 1.0
        for (int i = 0; i < early.length; i++) {
            atFactor.inspect(norms(i, early[i]));
            above.inspect(norms(i, early[i]));
        }
        assertThat(atFactor.inspect(norms(5, 10.0))).isEmpty();
        assertThat(above.inspect(norms(5, 10.01))).singleElement().satisfies(a -> {
            assertThat(a.threshold()).isEqualTo(10.0);
            assertThat(a.severity()).as("unconfirmed, the loss at its best").isEqualTo(Severity.INFO);
            assertThat(a.layers()).containsExactly("layer0");
        });
    }

    @Test
    void unconfirmedGrowthIsAWarningOnceTheLossIsOffItsBest() {
        Detector.Session s = quiet().growthFactor(10).scaleWindow(5).lossFactor(2).build().newSession();
        for (int i = 0; i < 20; i++) {
            s.inspect(Snapshots.snapshot(i, 1.0, Snapshots.layer("layer0").norm(1.0)));
        }
        // loss 1.8: the moving average (0.9) is 1.08, 1.152, 1.217, 1.275, 1.328, 1.375, 1.417 (> sqrt(2) x 1.0)
        for (int i = 20; i < 26; i++) {
            s.inspect(Snapshots.snapshot(i, 1.8, Snapshots.layer("layer0").norm(1.0)));
        }
        assertThat(s.inspect(Snapshots.snapshot(26, 1.8, Snapshots.layer("layer0").norm(20.0)))).singleElement()
                .satisfies(a -> assertThat(a.severity()).isEqualTo(Severity.WARNING));
    }

    /**
     * Corpus run on the zoo's VGG16 from scratch: the scale is taken on its flat start (loss at chance, tiny norms);
     * once it learns, its norm is 84x that scale while its noisy loss average sits 1.6x above its lowest, yet far
     * below where it started. Learning, not divergence: INFO. A real divergence still turns CRITICAL when the loss
     * average doubles.
     */
    @Test
    void growthAfterTheLossFellWellBelowItsWarmUpLevelIsInfo() {
        Detector.Session s = ExplodingDetector.defaults().newSession();
        for (int i = 0; i < 10; i++) {
            s.inspect(Snapshots.snapshot(i, 1.386, Snapshots.layer("layer0").norm(0.56)));
        }
        int it = 10;
        for (; it < 60; it++) { // learns: the loss falls to 0.3 and stays there
            double loss = Math.max(0.3, 1.386 - 0.03 * (it - 10));
            s.inspect(Snapshots.snapshot(it, loss, Snapshots.layer("layer0").norm(0.56)));
        }
        for (; it < 80; it++) { // a noisy stretch: the average climbs to about 1.8x its lowest, under 2x
            s.inspect(Snapshots.snapshot(it, 0.6, Snapshots.layer("layer0").norm(0.56)));
        }
        assertThat(s.inspect(Snapshots.snapshot(it++, 0.6, Snapshots.layer("layer0").norm(47.3)))).singleElement()
                .satisfies(a -> {
                    assertThat(a.severity()).isEqualTo(Severity.INFO);
                    assertThat(a.message()).contains("well below its level when the scale was taken");
                });
        List<GradientAlert> later = new ArrayList<>();
        for (int k = 0; k < 10; k++, it++) { // now the loss really rises: 2x its lowest confirms
            later.addAll(s.inspect(Snapshots.snapshot(it, 1.2, Snapshots.layer("layer0").norm(47.3 * (k + 2)))));
        }
        assertThat(later).anySatisfy(a -> assertThat(a.severity()).isEqualTo(Severity.CRITICAL));
    }

    /**
     * Corpus finding (zoo VGG16 at 3x32x32, Adam(1e-4), run to 100% held-out accuracy): after the loss fell from 1.386
     * to about 0.1, the raw gradient grew to 87x the run's tiny early scale while the loss bumped from 0.096 to 0.2,
     * "2.07 times its lowest". A loss that doubled from near zero, still at a seventh of where it started, is not a
     * divergence: it must give back a real share of what it learned before growth is confirmed.
     */
    @Test
    void aLossBumpNearZeroAfterLearningDoesNotConfirmGrowth() {
        Detector.Session s = ExplodingDetector.defaults().newSession();
        List<GradientAlert> all = new ArrayList<>();
        int it = 0;
        for (; it < 10; it++) {
            all.addAll(s.inspect(Snapshots.snapshot(it, 1.386, Snapshots.layer("layer0").norm(0.56))));
        }
        for (; it < 110; it++) { // learns: the loss falls to 0.09
            double loss = Math.max(0.09, 1.386 * Math.pow(0.96, it - 10));
            all.addAll(s.inspect(Snapshots.snapshot(it, loss, Snapshots.layer("layer0").norm(0.56 * (1 + it / 20.0)))));
        }
        for (int k = 0; k < 15; k++, it++) { // a bump: the loss doubles from its lowest, the raw gradient grows 87x
            all.addAll(s.inspect(Snapshots.snapshot(it, 0.25, Snapshots.layer("layer0").norm(48.8 + k))));
        }
        assertThat(all).isNotEmpty().allSatisfy(a -> assertThat(a.severity()).isEqualTo(Severity.INFO));

        List<GradientAlert> later = new ArrayList<>();
        for (int k = 0; k < 15; k++, it++) { // then the loss climbs back most of the way: diverging
            later.addAll(s.inspect(Snapshots.snapshot(it, 1.3, Snapshots.layer("layer0").norm(60.0 * (k + 2)))));
        }
        assertThat(later).anySatisfy(a -> assertThat(a.severity()).isEqualTo(Severity.CRITICAL));
    }

    /** Corpus finding F2: an LSTM leaving its flat start grows its raw gradient 20-170x while its loss keeps falling. */
    @Test
    void growthWhileTheLossKeepsFallingIsInfoEvenWhenSustained() {
        Detector.Session s = ExplodingDetector.defaults().newSession();
        List<GradientAlert> all = new ArrayList<>();
        double loss = 1.5;
        for (int i = 0; i < 200; i++) {
            loss *= 0.995;
            double norm = i < 20 ? 1.0 : Math.min(200, 1.0 * Math.pow(1.05, i - 20));
            all.addAll(s.inspect(Snapshots.snapshot(i, loss, Snapshots.layer("layer0").norm(norm))));
        }
        assertThat(all).isNotEmpty().allSatisfy(a -> assertThat(a.severity()).isEqualTo(Severity.INFO));
    }

    @Test
    void sustainedGrowthWhileTheLossIsOffItsBestBecomesCriticalAfterConfirmSnapshots() {
        Detector.Session s = quiet().growthFactor(10).scaleWindow(5).confirmSnapshots(3).build().newSession();
        for (int i = 0; i < 5; i++) {
            s.inspect(Snapshots.snapshot(i, 1.0, Snapshots.layer("layer0").norm(1.0)));
        }
        for (int i = 5; i < 12; i++) { // the loss moving average climbs to 1.42 (over sqrt(2) x its lowest, under 2 x)
            s.inspect(Snapshots.snapshot(i, 1.8, Snapshots.layer("layer0").norm(1.0)));
        }
        assertThat(s.inspect(Snapshots.snapshot(12, 1.6, Snapshots.layer("layer0").norm(20.0)))).singleElement()
                .satisfies(a -> assertThat(a.severity()).isEqualTo(Severity.WARNING)); // rise 1
        assertThat(s.inspect(Snapshots.snapshot(13, 1.6, Snapshots.layer("layer0").norm(30.0)))).singleElement()
                .satisfies(a -> assertThat(a.severity()).isEqualTo(Severity.WARNING)); // rise 2
        assertThat(s.inspect(Snapshots.snapshot(14, 1.6, Snapshots.layer("layer0").norm(40.0)))).singleElement()
                .satisfies(a -> {
                    assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
                    assertThat(a.message()).contains("3 snapshots in a row", "diverging");
                });
    }

    @Test
    void sustainedGrowthWithAFlatLossStaysInfo() {
        Detector.Session s = quiet().growthFactor(10).scaleWindow(5).confirmSnapshots(3).build().newSession();
        for (int i = 0; i < 5; i++) {
            s.inspect(norms(i, 1.0));
        }
        List<GradientAlert> all = new ArrayList<>();
        for (int i = 5; i < 15; i++) {
            all.addAll(s.inspect(norms(i, 10.0 * i)));
        }
        assertThat(all).hasSize(10).allSatisfy(a -> assertThat(a.severity()).isEqualTo(Severity.INFO));
    }

    /** Corpus finding F2 again: the same LSTM's loss is noisy, its moving average 14-20% above its lowest. */
    @Test
    void growthWithANoisyButFallingLossIsInfo() {
        Detector.Session s = ExplodingDetector.defaults().newSession();
        Random random = new Random(11);
        List<GradientAlert> all = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            double loss = (1.5 - 0.9 * i / 250.0) * Math.exp(0.25 * random.nextGaussian());
            double norm = i < 100 ? 1.0 : 30 * Math.exp(0.8 * random.nextGaussian());
            all.addAll(s.inspect(Snapshots.snapshot(i, loss, Snapshots.layer("layer0").norm(norm))));
        }
        assertThat(all).isNotEmpty().allSatisfy(a -> assertThat(a.severity()).isEqualTo(Severity.INFO));
    }

    @Test
    void aNetExplodedAtInitializationIsCaughtOnItsFirstSnapshotByTheSizeRule() {
        // an 8-layer ReLU MLP with weights ~ N(0, 5): global norm 2e11 at iteration 0, NaN at iteration 1
        Detector.Session s = ExplodingDetector.defaults().newSession();
        Snapshots.Layer first = Snapshots.layer("layer0").norm(4.6e9 * Math.sqrt(110)); // W 100 + b 10 entries
        assertThat(s.inspect(Snapshots.snapshot(0, 18.7, first, Snapshots.layer("layer1").norm(1.0))))
                .singleElement().satisfies(a -> {
                    assertThat(a.severity()).isEqualTo(Severity.WARNING);
                    assertThat(a.layers()).containsExactly("layer0");
                    assertThat(a.value()).isCloseTo(4.6e9, Percentage.withPercentage(1e-9));
                    assertThat(a.message()).contains("root mean square");
                });
    }

    @ParameterizedTest
    @CsvSource({"279, false", "9999, false", "10001, true"})
    void theSizeRuleReadsTheRootMeanSquarePerEntry(double rms, boolean fires) {
        // a fresh zoo ResNet50's stem convolution: norm 2.7e4 over 9,408 entries, rms 279
        Detector.Session s = ExplodingDetector.defaults().newSession();
        double norm = rms * Math.sqrt(110);
        assertThat(s.inspect(norms(0, norm)).isEmpty()).isEqualTo(!fires);
    }

    @Test
    void aNonFiniteNormAfterGrowthIsCritical() {
        Detector.Session s = quiet().growthFactor(10).scaleWindow(5).build().newSession();
        for (int i = 0; i < 5; i++) {
            s.inspect(norms(i, 1.0));
        }
        s.inspect(norms(5, 50.0));
        assertThat(s.inspect(norms(6, Double.NaN))).singleElement()
                .satisfies(a -> assertThat(a.severity()).isEqualTo(Severity.CRITICAL));
        assertThat(ExplodingDetector.defaults().newSession().inspect(norms(0, Double.NaN)))
                .as("NaN alone is NON_FINITE's").isEmpty();
    }

    @Test
    void reportsSustainedDoublingEarlyAndWarnsByTheSizeRuleWhileTheLossStaysFlat() {
        Detector.Session s = ExplodingDetector.defaults().newSession();
        Random random = new Random(1);
        int i = 0;
        for (; i < 100; i++) {
            assertThat(s.inspect(norms(i, Math.exp(0.3 * random.nextGaussian())))).isEmpty();
        }
        long firstAlert = -1;
        long firstWarning = -1;
        double norm = 1.0;
        for (; i < 140 && firstWarning < 0; i++) {
            norm *= 2;
            for (GradientAlert a : s.inspect(norms(i, norm))) {
                firstAlert = firstAlert < 0 ? i : firstAlert;
                if (a.severity().isAtLeast(Severity.WARNING)) {
                    firstWarning = i;
                    assertThat(a.message()).contains("root mean square");
                }
            }
        }
        // the spike rule (INFO) fires within a few doublings; with a flat loss growth stays INFO until the entries'
        // RMS passes 1e4: norm > 1e4 * sqrt(110) = 1.05e5, i.e. 2^17 at iteration 116
        assertThat(firstAlert).isBetween(100L, 105L);
        assertThat(firstWarning).isEqualTo(116L);
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
            assertThat(a.isModelWide()).isTrue();
            assertThat(a.severity()).isEqualTo(Severity.INFO);
            assertThat(a.value()).isGreaterThan(5);
            assertThat(a.message()).contains("spike on one batch", "z-score");
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

    /** Issue 9, finding 1: a hard batch after convergence is a spike, not a divergence. */
    @Test
    void aHardBatchAfterConvergenceIsAtMostAnInfoSpike() {
        Detector.Session s = ExplodingDetector.defaults().newSession();
        Random random = new Random(7);
        List<GradientAlert> all = new ArrayList<>();
        int i = 0;
        for (; i < 400; i++) { // early norms near 1, then a 50-fold fall of the loss and of the norm
            double trend = Math.exp(-i / 100.0);
            double norm = Math.max(0.02, trend) * Math.exp(0.1 * random.nextGaussian());
            all.addAll(s.inspect(Snapshots.snapshot(i, 2.0 * Math.max(0.02, trend), Snapshots.layer("layer0")
                    .norm(norm / Math.sqrt(2)), Snapshots.layer("layer1").norm(norm / Math.sqrt(2)))));
        }
        assertThat(all).as("quiet while converging").isEmpty();
        double spike = 12 * 0.02; // 12x the EMA level, far below the early norms near 1
        List<GradientAlert> alerts = s.inspect(Snapshots.snapshot(i, 0.05, Snapshots.layer("layer0")
                .norm(spike / Math.sqrt(2)), Snapshots.layer("layer1").norm(spike / Math.sqrt(2))));
        assertThat(alerts).noneMatch(a -> a.severity().isAtLeast(Severity.WARNING));
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.severity()).isEqualTo(Severity.INFO);
            assertThat(a.message()).contains("spike on one batch");
        });
    }

    /** Issue 9, finding 2: a small-init net waking up (1e-8 then ~0.2) is no explosion: no baseline of one snapshot. */
    @Test
    void aSmallInitNetWakingUpIsNotAnExplosion() {
        Detector.Session s = ExplodingDetector.defaults().newSession();
        Random random = new Random(3);
        List<GradientAlert> all = new ArrayList<>(s.inspect(norms(0, 1e-8)));
        for (int i = 1; i < 60; i++) {
            all.addAll(s.inspect(norms(i, 0.2 * Math.exp(0.3 * random.nextGaussian()))));
        }
        assertThat(all).isEmpty();
    }

    @Test
    void divergenceIsCriticalOnceTheLossRisesWithTheNorm() {
        Detector.Session s = ExplodingDetector.defaults().newSession();
        Random random = new Random(5);
        for (int i = 0; i < 30; i++) {
            assertThat(s.inspect(Snapshots.snapshot(i, 1.0, Snapshots.layer("layer0")
                    .norm(Math.exp(0.2 * random.nextGaussian()))))).isEmpty();
        }
        double norm = 1;
        double loss = 1;
        List<GradientAlert> alerts = new ArrayList<>();
        for (int i = 30; i < 60 && alerts.stream().noneMatch(a -> a.severity() == Severity.CRITICAL); i++) {
            norm *= 2;
            loss *= 2;
            alerts.addAll(s.inspect(Snapshots.snapshot(i, loss, Snapshots.layer("layer0").norm(norm))));
        }
        assertThat(alerts).filteredOn(a -> a.severity() == Severity.CRITICAL).first().satisfies(a -> {
            assertThat(a.message()).contains("diverging");
            assertThat(a.iteration()).isLessThanOrEqualTo(30 + 5); // 2^4 = 16 > 10 x the early scale
        });
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
        assertThatThrownBy(() -> ExplodingDetector.builder().scaleWindow(1)).hasMessage("scaleWindow must be >= 2 (got: 1)");
        assertThatThrownBy(() -> ExplodingDetector.builder().lossFactor(1)).hasMessageContaining("lossFactor");
        assertThatThrownBy(() -> ExplodingDetector.builder().confirmSnapshots(0))
                .hasMessageContaining("confirmSnapshots");
    }

    @Test
    void everyBuilderOptionReachesTheDetector() {
        ExplodingDetector d = ExplodingDetector.builder().maxNorm(50).zThreshold(3).warmup(7).alpha(0.9)
                .growthFactor(4).scaleWindow(6).confirmSnapshots(5).lossFactor(3).maxLayerRatio(40).ratioPatience(2)
                .build();
        assertThat(d).isEqualTo(new ExplodingDetector(50, 3, 7, 0.9, 4, 6, 5, 3, 40, 2, 1e4));
        assertThat(ExplodingDetector.builder().maxRms(300).build().maxRms()).isEqualTo(300);
        assertThat(ExplodingDetector.defaults().maxNorm()).as("no absolute ceiling by default").isInfinite();
        assertThat(d.type()).isEqualTo(AlertType.EXPLODING);
    }

    @Test
    void eachRuleNamesItselfInFrontOfItsMessage() {
        assertThat(lastMessage(quiet().maxNorm(100).build(), List.of(new double[] {200})))
                .startsWith("[ceiling] gradient norm above the ceiling 100");
        assertThat(lastMessage(quiet().maxRms(1e4).build(), List.of(new double[] {1e6})))
                .startsWith("[size] gradient entries of layer 'layer0'");
        assertThat(lastMessage(quiet().maxLayerRatio(70).ratioPatience(1).build(), List.of(new double[] {1000, 1})))
                .startsWith("[layer-ratio] gradient norm of layer 'layer0'");
        assertThat(lastMessage(quiet().growthFactor(10).scaleWindow(2).build(),
                List.of(new double[] {1}, new double[] {1}, new double[] {100})))
                .startsWith("[growth] global gradient norm is 100");
        List<double[]> calmThenSpike = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            calmThenSpike.add(new double[] {1});
        }
        calmThenSpike.add(new double[] {5});
        assertThat(lastMessage(quiet().zThreshold(5).warmup(5).scaleWindow(2).build(), calmThenSpike))
                .startsWith("[spike] gradient spike on one batch");
    }

    /** The one alert the last of {@code snapshots} (per-layer norms) raises. */
    private static String lastMessage(ExplodingDetector d, List<double[]> snapshots) {
        Detector.Session s = d.newSession();
        List<GradientAlert> last = List.of();
        for (int i = 0; i < snapshots.size(); i++) {
            last = s.inspect(norms(i, snapshots.get(i)));
        }
        assertThat(last).hasSize(1);
        return last.get(0).message();
    }

    @Test
    void setterAndRecordRejectABadValueWithTheSameMessageAndTheBuilderKeepsRejectingIt() {
        String message = "maxRms must be > 0 (got: 0.0)";
        assertThatThrownBy(() -> new ExplodingDetector(Double.POSITIVE_INFINITY, 5, 25, 0.97, 10, 10, 3, 2, 70, 5, 0))
                .hasMessage(message);
        ExplodingDetector.Builder b = ExplodingDetector.builder();
        assertThatThrownBy(() -> b.maxRms(0)).hasMessage(message);
        assertThatThrownBy(b::build).as("never coerced or dropped").hasMessage(message);
    }

    @Test
    void docsListEveryRuleByTheNameItsAlertsShow() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(root.resolve("docs/alerts.md"))) {
            root = root.getParent();
        }
        String alerts = Files.readString(root.resolve("docs/alerts.md"));
        ExplodingDetector d = ExplodingDetector.defaults();
        for (ExplodingRule rule : List.of(new ExplodingGrowthRule(d), new ExplodingSizeRule(d),
                new ExplodingSpikeRule(d), new ExplodingLayerRatioRule(d), new ExplodingCeilingRule(d))) {
            assertThat(alerts).as("docs/alerts.md row of rule %s", rule.name()).contains("| `" + rule.name() + "` |");
        }
    }
}
