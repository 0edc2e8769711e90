package io.github.dl4jgradmon;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class AlertRepeatsTest {

    private static GradientAlert at(long iteration, String layer) {
        return new GradientAlert(AlertType.VANISHING, Severity.WARNING, "0", iteration, layer, Optional.of("W"), 1e-7,
                1e-3, "m", "h");
    }

    @Test
    void aPersistingConditionIsPassedAtOnsetThenEveryIntervalIterations() {
        AlertRepeats r = new AlertRepeats(10, 1);
        assertThat(r.admit(at(5, "a"))).as("onset").isTrue();
        for (long it = 6; it < 15; it++) {
            assertThat(r.admit(at(it, "a"))).as("iteration %d", it).isFalse();
        }
        assertThat(r.admit(at(15, "a"))).as("interval reached").isTrue();
        assertThat(r.admit(at(16, "a"))).isFalse();
        assertThat(r.suppressed()).isEqualTo(10);
    }

    @Test
    void aConditionThatClearedAndReturnsIsANewOnsetAndKeysAreIndependent() {
        AlertRepeats r = new AlertRepeats(100, 1);
        assertThat(r.admit(at(1, "a"))).isTrue();
        assertThat(r.admit(at(2, "a"))).isFalse();
        assertThat(r.admit(at(2, "b"))).as("another layer").isTrue();
        assertThat(r.admit(at(4, "a"))).as("absent at iteration 3: it had cleared").isTrue();
    }

    @Test
    void withAReportingFrequencyConsecutiveSnapshotsAreFrequencyApart() {
        AlertRepeats r = new AlertRepeats(100, 5);
        assertThat(r.admit(at(0, "a"))).isTrue();
        assertThat(r.admit(at(5, "a"))).as("the next snapshot, still persisting").isFalse();
        assertThat(r.admit(at(15, "a"))).as("one snapshot missing: cleared and back").isTrue();
    }
}
