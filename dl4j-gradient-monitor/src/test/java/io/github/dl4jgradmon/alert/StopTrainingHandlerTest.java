package io.github.dl4jgradmon.alert;

import org.junit.jupiter.api.Test;

import static io.github.dl4jgradmon.alert.Alerts.alert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class StopTrainingHandlerTest {

    @Test
    void stopsOnCriticalNonFiniteAlertWithTheAlertInTheException() {
        GradientAlert nan = alert(AlertType.NON_FINITE, Severity.CRITICAL, "layer2", 57);
        GradientAlertException e = catchThrowableOfType(GradientAlertException.class,
                () -> StopTrainingHandler.onNonFinite().onAlert(nan));
        assertThat(e.alert()).isSameAs(nan);
        assertThat(e.alert().type()).isEqualTo(AlertType.NON_FINITE);
        assertThat(e.getMessage()).contains("NON_FINITE", "iteration 57", "layer layer2", "param W", "Fix: do this");
    }

    @Test
    void letsOtherAlertsPassByDefault() {
        StopTrainingHandler stop = StopTrainingHandler.onNonFinite();
        assertThatCode(() -> {
            stop.onAlert(alert(AlertType.EXPLODING, Severity.CRITICAL, "l", 1));
            stop.onAlert(alert(AlertType.NON_FINITE, Severity.WARNING, "l", 1));
        }).doesNotThrowAnyException();
    }

    @Test
    void stopsOnConfiguredTypesAtOrAboveTheMinimumSeverity() {
        StopTrainingHandler stop = StopTrainingHandler.builder()
                .types(AlertType.EXPLODING, AlertType.VANISHING).minSeverity(Severity.WARNING).build();
        assertThat(stop.types()).containsExactlyInAnyOrder(AlertType.EXPLODING, AlertType.VANISHING);
        assertThat(stop.minSeverity()).isEqualTo(Severity.WARNING);
        assertThat(stop.matches(alert(AlertType.VANISHING, Severity.WARNING, "l", 1))).isTrue();
        assertThat(stop.matches(alert(AlertType.VANISHING, Severity.INFO, "l", 1))).isFalse();
        assertThat(stop.matches(alert(AlertType.NON_FINITE, Severity.CRITICAL, "l", 1))).isFalse();
        assertThatThrownBy(() -> stop.onAlert(alert(AlertType.EXPLODING, Severity.CRITICAL, "l", 3)))
                .isInstanceOf(GradientAlertException.class).hasMessageContaining("EXPLODING");
    }

    @Test
    void builderRejectsEmptyTypesAndNullSeverity() {
        assertThatThrownBy(() -> StopTrainingHandler.builder().types())
                .hasMessage("types must name at least one AlertType (got: [])");
        assertThatThrownBy(() -> StopTrainingHandler.builder().minSeverity(null)).hasMessageContaining("minSeverity");
    }

    @Test
    void survivesSerialization() throws Exception {
        StopTrainingHandler stop = StopTrainingHandler.builder().types(AlertType.EXPLODING).build();
        StopTrainingHandler copy = (StopTrainingHandler) GradientAlertTest.roundTrip(stop);
        assertThat(copy.types()).containsExactly(AlertType.EXPLODING);
        assertThat(copy.minSeverity()).isEqualTo(Severity.CRITICAL);
    }
}
