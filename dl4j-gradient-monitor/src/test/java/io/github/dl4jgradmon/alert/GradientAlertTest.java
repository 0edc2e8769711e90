package io.github.dl4jgradmon.alert;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GradientAlertTest {

    @Test
    void rejectsNegativeIterationAndNulls() {
        assertThatThrownBy(() -> new GradientAlert(AlertType.EXPLODING, Severity.WARNING, "0", -1, "l",
                Optional.empty(), 1, 1, "m", "h")).hasMessage("iteration must be >= 0 (got: -1)");
        assertThatThrownBy(() -> new GradientAlert(AlertType.EXPLODING, Severity.WARNING, "0", 1, "l",
                null, 1, 1, "m", "h")).hasMessageContaining("param");
    }

    @Test
    void modelWideAlertsUseTheModelConstant() {
        GradientAlert a = new GradientAlert(AlertType.LOSS_SPIKE, Severity.WARNING, "0", 3, GradientAlert.MODEL,
                Optional.empty(), 12, 10, "m", "h");
        assertThat(a.isModelWide()).isTrue();
        assertThat(a.layerLabel()).isEqualTo("(model)");
        assertThat(Alerts.alert(AlertType.VANISHING, Severity.WARNING, "layer0", 1).isModelWide()).isFalse();
    }

    @Test
    void severityOrderIsInfoWarningCritical() {
        assertThat(Severity.CRITICAL.isAtLeast(Severity.WARNING)).isTrue();
        assertThat(Severity.WARNING.isAtLeast(Severity.WARNING)).isTrue();
        assertThat(Severity.INFO.isAtLeast(Severity.WARNING)).isFalse();
    }

    @Test
    void survivesJavaSerializationWithAndWithoutParam() throws Exception {
        GradientAlert withParam = Alerts.alert(AlertType.DEAD_UNITS, Severity.WARNING, "hidden", 42);
        GradientAlert without = new GradientAlert(AlertType.NON_FINITE, Severity.CRITICAL, "2", 7, GradientAlert.MODEL,
                Optional.empty(), Double.NaN, Double.NaN, "score is NaN", "lower lr");
        assertThat(roundTrip(withParam)).isEqualTo(withParam);
        assertThat(roundTrip(without)).isEqualTo(without);
    }

    static Object roundTrip(Object value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return in.readObject();
        }
    }
}
