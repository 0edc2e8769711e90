package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;

import static io.github.dl4jgradmon.detect.Snapshots.layer;
import static io.github.dl4jgradmon.detect.Snapshots.norms;
import static io.github.dl4jgradmon.detect.Snapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DetectorSuiteTest {

    @Test
    void defaultsRunEveryBuiltInDetectorInTypeOrder() {
        assertThat(DetectorSuite.defaults().detectors()).extracting(Detector::type).containsExactly(
                AlertType.NON_FINITE, AlertType.EXPLODING, AlertType.VANISHING, AlertType.DEAD_UNITS,
                AlertType.SATURATION, AlertType.UPDATE_RATIO, AlertType.LOSS_SPIKE, AlertType.NO_GRADIENT,
                AlertType.STALLED);
        assertThat(DetectorSuite.defaults().detector(ExplodingDetector.class)).contains(ExplodingDetector.defaults());
    }

    @Test
    void builderReplacesDisablesAndAddsDetectors() {
        Detector custom = new AlwaysAlerts();
        VanishingDetector vanishing = VanishingDetector.builder().patience(20).build();
        DetectorSuite suite = DetectorSuite.builder()
                .vanishing(vanishing)
                .disable(AlertType.UPDATE_RATIO, AlertType.DEAD_UNITS)
                .add(custom)
                .build();
        assertThat(suite.detectors()).containsExactly(NonFiniteDetector.defaults(), ExplodingDetector.defaults(),
                vanishing, SaturationDetector.defaults(), LossSpikeDetector.defaults(), NoGradientDetector.defaults(),
                StallDetector.defaults(), custom);
        assertThat(DetectorSuite.builder().disableAll().build().detectors()).isEmpty();
        assertThat(DetectorSuite.none().detectors()).isEmpty();
    }

    @Test
    void builderRejectsNullsNamingTheWayOut() {
        assertThatThrownBy(() -> DetectorSuite.builder().exploding(null))
                .hasMessageContaining("EXPLODING detector must not be null").hasMessageContaining("disable");
        assertThatThrownBy(() -> DetectorSuite.builder().add(null)).hasMessageContaining("detector");
    }

    @Test
    void sessionReturnsTheSharedEmptyListWhenNothingIsWrong() {
        DetectorSession session = DetectorSuite.defaults().newSession("0");
        for (int i = 0; i < 50; i++) {
            assertThat(session.inspect(norms(i, 0.5, 1.0))).isSameAs(List.of());
        }
    }

    @Test
    void sessionCollectsAlertsFromEveryDetector() {
        DetectorSession session = DetectorSuite.builder().add(new AlwaysAlerts()).build().newSession("0");
        List<GradientAlert> alerts = session.inspect(snapshot(0, 1.0, layer("a").nan(1), layer("b")));
        assertThat(alerts).extracting(GradientAlert::type).containsExactly(AlertType.NON_FINITE, AlertType.LOSS_SPIKE);
    }

    @Test
    void sessionsOfDifferentWorkersKeepSeparateState() {
        DetectorSuite suite = DetectorSuite.builder().vanishing(VanishingDetector.builder().patience(2).build()).build();
        DetectorSession w0 = suite.newSession("0");
        DetectorSession w1 = suite.newSession("1");
        w0.inspect(snapshot("0", 0, 1.0, layer("a").norm(1e-9), layer("b")));
        assertThat(w1.inspect(snapshot("1", 0, 1.0, layer("a").norm(1e-9), layer("b")))).isEmpty();
        assertThat(w0.inspect(snapshot("0", 1, 1.0, layer("a").norm(1e-9), layer("b")))).hasSize(1);
    }

    @Test
    void sessionRejectsSnapshotsOfAnotherWorker() {
        DetectorSession session = DetectorSuite.defaults().newSession("0");
        assertThatThrownBy(() -> session.inspect(snapshot("1", 0, 1.0, layer("a"))))
                .hasMessageContaining("worker '1'").hasMessageContaining("worker '0'");
    }

    @Test
    void failingDetectorIsContainedAndTheOthersStillRun() {
        Detector broken = new Broken();
        DetectorSession session = DetectorSuite.builder().add(broken).add(new AlwaysAlerts()).build().newSession("0");
        assertThat(session.inspect(norms(0, 1.0))).extracting(GradientAlert::type).containsExactly(AlertType.LOSS_SPIKE);
        assertThat(session.inspect(norms(1, 1.0))).hasSize(1);
        assertThat(session.faultCount()).isEqualTo(2);
    }

    @Test
    void survivesJavaSerializationWithEveryOption() throws Exception {
        DetectorSuite suite = DetectorSuite.builder()
                .exploding(ExplodingDetector.builder().maxNorm(50).zThreshold(3).build())
                .deadUnits(DeadUnitsDetector.builder().threshold(0.9).window(3).warmup(0).build())
                .disable(AlertType.LOSS_SPIKE)
                .build();
        DetectorSuite copy = roundTrip(suite);
        assertThat(copy).isEqualTo(suite).isNotSameAs(suite);
        assertThat(copy.detector(ExplodingDetector.class)).get().extracting(ExplodingDetector::maxNorm).isEqualTo(50.0);
        DetectorSession session = copy.newSession("0");
        assertThat(session.inspect(norms(0, 60.0))).extracting(GradientAlert::type).containsExactly(AlertType.EXPLODING);
    }

    static <T> T roundTrip(T value) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            @SuppressWarnings("unchecked")
            T copy = (T) in.readObject();
            return copy;
        }
    }

    /** A custom detector raising one LOSS_SPIKE alert per snapshot. */
    private static final class AlwaysAlerts implements Detector {
        @Override
        public AlertType type() {
            return AlertType.LOSS_SPIKE;
        }

        @Override
        public Session newSession() {
            return s -> List.of(new GradientAlert(AlertType.LOSS_SPIKE, Severity.INFO,
                    s.workerId(), s.iteration(), GradientAlert.MODEL, java.util.Optional.empty(), 1, 0, "test", "none"));
        }
    }

    private static final class Broken implements Detector {
        @Override
        public AlertType type() {
            return AlertType.EXPLODING;
        }

        @Override
        public Session newSession() {
            return s -> {
                throw new IllegalStateException("boom");
            };
        }
    }
}
