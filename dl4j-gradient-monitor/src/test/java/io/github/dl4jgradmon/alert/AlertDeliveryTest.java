package io.github.dl4jgradmon.alert;

import io.github.dl4jgradmon.internal.alert.AlertDelivery;
import io.github.dl4jgradmon.internal.alert.Faults;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 12 item 4: each handler, the log included, is isolated; only the stop and fatal JVM errors pass. */
class AlertDeliveryTest {

    private final GradientAlert alert = Alerts.alert(AlertType.EXPLODING, Severity.WARNING, "l", 1);

    @Test
    void aFailingLogHandlerDoesNotKeepTheAlertFromTheUsersHandlers() {
        List<GradientAlert> recorded = new ArrayList<>();
        List<GradientAlert> seen = new ArrayList<>();
        Faults faults = new Faults();
        AlertHandler brokenLog = a -> {
            throw new IllegalStateException("simulated logging failure");
        };
        AlertDelivery delivery = new AlertDelivery(recorded::add, brokenLog, null, List.of(a -> {
            throw new LinkageError("simulated");
        }, seen::add), faults);

        delivery.deliver(alert);

        assertThat(recorded).containsExactly(alert);
        assertThat(seen).containsExactly(alert);
        assertThat(faults.count()).isEqualTo(2);
    }

    @Test
    void aStopIsThrownAfterEveryHandlerHadTheAlert() {
        List<GradientAlert> seen = new ArrayList<>();
        AlertDelivery delivery = new AlertDelivery(a -> { }, null, null,
                List.of(StopTrainingHandler.builder().types(AlertType.EXPLODING).minSeverity(Severity.INFO).build(),
                        seen::add), new Faults());

        assertThatThrownBy(() -> delivery.deliver(alert)).isInstanceOf(GradientAlertException.class);
        assertThat(seen).containsExactly(alert);
    }

    @Test
    void onlyTheStopAndFatalJvmErrorsPass() {
        assertThat(Faults.mustPass(new GradientAlertException(alert))).isTrue();
        assertThat(Faults.mustPass(new OutOfMemoryError())).isTrue();
        assertThat(Faults.mustPass(new InternalError())).isTrue();
        assertThat(Faults.mustPass(new StackOverflowError())).as("a handler's recursion, unwound").isFalse();
        assertThat(Faults.mustPass(new AssertionError())).isFalse();
        assertThat(Faults.mustPass(new NoClassDefFoundError())).isFalse();
        assertThat(Faults.mustPass(new Exception())).isFalse();
    }
}
