package io.github.dl4jgradmon.alert;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

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

    /** Called once per alert. A handler may throw {@link GradientAlertException} to stop training. */
    void onAlert(GradientAlert alert);

    /** A handler that passes each alert to each of {@code handlers}, in order. */
    static AlertHandler all(AlertHandler... handlers) {
        List<AlertHandler> list = List.of(handlers);
        list.forEach(h -> Objects.requireNonNull(h, "handler"));
        return alert -> {
            for (AlertHandler h : list) {
                h.onAlert(alert);
            }
        };
    }
}
