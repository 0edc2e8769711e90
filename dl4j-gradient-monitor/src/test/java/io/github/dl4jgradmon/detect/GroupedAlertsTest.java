package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 9, finding 3: a condition that spans layers is one alert naming them, not one alert per layer. */
class GroupedAlertsTest {

    private static final int LAYERS = 106;

    private static GradientSnapshot uniform(long iteration, double score, double norm, double biasZeros,
                                            double saturation) {
        Snapshots.Layer[] layers = new Snapshots.Layer[LAYERS];
        for (int i = 0; i < LAYERS; i++) {
            layers[i] = Snapshots.layer("conv" + i).norm(norm).biasZeros(biasZeros).saturation(saturation);
        }
        return Snapshots.snapshot(iteration, score, layers);
    }

    /** Alerts of each type raised by the defaults on one snapshot, after {@code warm} calm ones. */
    private static Map<AlertType, List<GradientAlert>> lastSnapshotAlerts(List<GradientSnapshot> run) {
        DetectorSession session = DetectorSuite.defaults().newSession("0");
        List<GradientAlert> last = List.of();
        for (GradientSnapshot s : run) {
            last = session.inspect(s);
        }
        return last.stream().collect(Collectors.groupingBy(GradientAlert::type));
    }

    @Test
    void anExplosionAcross106LayersIsOneAlertNamingTheFirstAndTheCount() {
        List<GradientSnapshot> run = new ArrayList<>();
        double norm = 0.01;
        for (int i = 0; i < 30; i++) {
            run.add(uniform(i, 1.0, norm, 0, Double.NaN));
        }
        double loss = 1;
        for (int i = 30; i < 40; i++) {
            norm *= 3;
            loss *= 3;
            run.add(uniform(i, loss, norm, 0, Double.NaN));
        }
        Map<AlertType, List<GradientAlert>> byType = lastSnapshotAlerts(run);
        assertThat(byType.get(AlertType.EXPLODING)).singleElement().satisfies(a -> {
            assertThat(a.message()).contains("conv0").contains(String.valueOf(LAYERS));
        });
    }

    @Test
    void deadUnitsAndSaturationAcrossLayersAreOneAlertEach() {
        List<GradientSnapshot> run = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            run.add(uniform(i, 1.0, 0.1, 0.9, 0.9));
        }
        Map<AlertType, List<GradientAlert>> byType = lastSnapshotAlerts(run);
        assertThat(byType.get(AlertType.DEAD_UNITS)).singleElement()
                .satisfies(a -> assertThat(a.message()).contains("conv0").contains(String.valueOf(LAYERS)));
        assertThat(byType.get(AlertType.SATURATION)).singleElement()
                .satisfies(a -> assertThat(a.message()).contains("conv0").contains(String.valueOf(LAYERS)));
    }

    @Test
    void vanishingAcrossLayersIsOneAlert() {
        List<GradientSnapshot> run = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            double[] norms = new double[LAYERS];
            for (int l = 0; l < LAYERS; l++) {
                norms[l] = l == LAYERS - 1 ? 1.0 : 1e-7;
            }
            run.add(Snapshots.norms(i, norms));
        }
        Map<AlertType, List<GradientAlert>> byType = lastSnapshotAlerts(run);
        assertThat(byType.get(AlertType.VANISHING)).singleElement()
                .satisfies(a -> assertThat(a.message()).contains("layer0").contains(String.valueOf(LAYERS - 1)));
    }
}
