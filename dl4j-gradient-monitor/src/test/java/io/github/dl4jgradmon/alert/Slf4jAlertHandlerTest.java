package io.github.dl4jgradmon.alert;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Slf4jAlertHandlerTest {

    @Test
    void formatsOneLineWithTheNumbersThenTheFix() {
        GradientAlert a = new GradientAlert(AlertType.VANISHING, Severity.WARNING, "0", 12, "layer0", Optional.of("W"),
                2e-7, 1e-3, "gradient norm of layer 'layer0' is tiny", ".activation(Activation.RELU)");
        String line = Slf4jAlertHandler.format(a);
        assertThat(line).doesNotContain("\n")
                .startsWith("WARNING VANISHING layer=layer0 param=W value=2E-7 threshold=0.001 iteration=12")
                .endsWith("gradient norm of layer 'layer0' is tiny. Fix: .activation(Activation.RELU)");
    }

    @Test
    void numbersAreShortenedToThreeSignificantDigits() {
        assertThat(Slf4jAlertHandler.number(5.446746262329052E-7)).isEqualTo("5.45E-7");
        assertThat(Slf4jAlertHandler.number(0.6857)).isEqualTo("0.686");
        assertThat(Slf4jAlertHandler.number(1234.5)).isEqualTo("1230");
        assertThat(Slf4jAlertHandler.number(123456)).isEqualTo("1.23E+5");
        assertThat(Slf4jAlertHandler.number(Double.NaN)).isEqualTo("NaN");
        assertThat(Slf4jAlertHandler.number(0)).isEqualTo("0");
    }

    @Test
    void formatsModelWideAlertsWithoutParam() {
        GradientAlert a = new GradientAlert(AlertType.LOSS_SPIKE, Severity.WARNING, "0", 5, GradientAlert.MODEL,
                Optional.empty(), 12, 10, "m", "h");
        assertThat(Slf4jAlertHandler.format(a)).contains("layer=(model) param=-");
    }

    @Test
    void builderRejectsBadValuesAndEveryOptionReachesTheHandler() {
        assertThatThrownBy(() -> Slf4jAlertHandler.builder().warnLimit(-1)).hasMessage("warnLimit must be >= 0 (got: -1)");
        assertThatThrownBy(() -> Slf4jAlertHandler.builder().summaryEvery(0)).hasMessageContaining("summaryEvery");
        assertThatThrownBy(() -> Slf4jAlertHandler.builder().summaryIntervalIterations(0))
                .hasMessageContaining("summaryIntervalIterations");
        Slf4jAlertHandler h = Slf4jAlertHandler.builder().warnLimit(7).summaryEvery(8).summaryIntervalIterations(9).build();
        assertThat(h.warnLimit()).isEqualTo(7);
        assertThat(h.summaryEvery()).isEqualTo(8);
        assertThat(h.summaryIntervalIterations()).isEqualTo(9);
    }

    @Test
    void deserializedCopyKeepsItsConfigurationAndWorks() throws Exception {
        Slf4jAlertHandler h = Slf4jAlertHandler.builder().warnLimit(7).summaryEvery(8).build();
        Slf4jAlertHandler copy = (Slf4jAlertHandler) GradientAlertTest.roundTrip(h);
        assertThat(copy.toString()).isEqualTo(h.toString());
        copy.onAlert(Alerts.alert(AlertType.EXPLODING, Severity.WARNING, "l", 1));
    }
}
