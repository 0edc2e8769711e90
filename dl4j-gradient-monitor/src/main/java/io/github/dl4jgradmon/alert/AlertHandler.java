package io.github.dl4jgradmon.alert;

import io.github.dl4jgradmon.internal.alert.Faults;
import java.io.Serializable;

/**
 * Receives every alert the detectors raise, on the training thread of the worker whose gradients showed it. Keep it
 * quick; with ParallelWrapper several threads may call one handler at once, so it must be thread-safe.
 *
 * <pre>{@code
 * GradientMonitor monitor = GradientMonitor.builder()
 *         .onAlert(new Slf4jAlertHandler())
 *         .onAlert(StopTrainingHandler.onNonFinite())
 *         .build();
 * }</pre>
 *
 * <p>Serializable because the monitor is: a lambda used as a handler is serializable through this interface, as long
 * as what it captures is.
 */
@FunctionalInterface
public interface AlertHandler extends Serializable {

    /**
     * Called once per alert. A handler may throw {@link GradientAlertException} to stop training: the other handlers
     * still get the alert, then the exception ends {@code fit}. Anything else a handler throws is contained (logged
     * once, counted in {@code monitor.faultCount()}), except the JVM's fatal errors (see {@link Faults#mustPass}).
     */
    void onAlert(GradientAlert alert);
}
