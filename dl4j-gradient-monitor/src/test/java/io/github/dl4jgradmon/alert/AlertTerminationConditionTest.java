package io.github.dl4jgradmon.alert;

import org.junit.jupiter.api.Test;

import static io.github.dl4jgradmon.alert.Alerts.alert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AlertTerminationConditionTest {

    @Test
    void doesNotTerminateBeforeAMatchingAlert() {
        AlertTerminationCondition c = AlertTerminationCondition.onNonFinite();
        c.initialize();
        c.onAlert(alert(AlertType.VANISHING, Severity.WARNING, "layer0", 3));
        assertThat(c.terminate(0.5)).isFalse();
        assertThat(c.alert()).isEmpty();
        assertThat(c.toString()).contains("not triggered", "NON_FINITE");
    }

    @Test
    void terminatesAfterTheFirstMatchingAlertAndNamesIt() {
        AlertTerminationCondition c = AlertTerminationCondition.onNonFinite();
        c.initialize();
        GradientAlert first = alert(AlertType.NON_FINITE, Severity.CRITICAL, "layer2", 57);
        c.onAlert(first);
        c.onAlert(alert(AlertType.NON_FINITE, Severity.CRITICAL, "layer1", 58));
        assertThat(c.terminate(Double.NaN)).isTrue();
        assertThat(c.alert()).containsSame(first);
        assertThat(c.toString()).contains("NON_FINITE", "iteration 57", "layer layer2");
    }

    @Test
    void initializeForgetsTheRecordedAlert() {
        AlertTerminationCondition c = AlertTerminationCondition.onNonFinite();
        c.onAlert(alert(AlertType.NON_FINITE, Severity.CRITICAL, "layer2", 57));
        c.initialize();
        assertThat(c.terminate(1.0)).isFalse();
    }

    @Test
    void selectsConfiguredTypesAndSeverity() {
        AlertTerminationCondition c = AlertTerminationCondition.on(Severity.WARNING, AlertType.EXPLODING);
        c.onAlert(alert(AlertType.EXPLODING, Severity.INFO, "l", 1));
        assertThat(c.terminate(1.0)).isFalse();
        c.onAlert(alert(AlertType.EXPLODING, Severity.WARNING, "l", 2));
        assertThat(c.terminate(1.0)).isTrue();
        assertThatThrownBy(() -> AlertTerminationCondition.on(Severity.WARNING)).hasMessageContaining("types");
        assertThatThrownBy(() -> AlertTerminationCondition.on(null, AlertType.EXPLODING))
                .hasMessageContaining("minSeverity");
    }

    @Test
    void survivesSerializationWithItsState() throws Exception {
        AlertTerminationCondition c = AlertTerminationCondition.onNonFinite();
        c.onAlert(alert(AlertType.NON_FINITE, Severity.CRITICAL, "layer2", 57));
        AlertTerminationCondition copy = (AlertTerminationCondition) GradientAlertTest.roundTrip(c);
        assertThat(copy.terminate(1.0)).isTrue();
        assertThat(copy.toString()).isEqualTo(c.toString());
    }
}
