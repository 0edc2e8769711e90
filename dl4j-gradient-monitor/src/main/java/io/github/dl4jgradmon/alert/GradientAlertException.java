package io.github.dl4jgradmon.alert;

import java.io.Serial;
import java.util.Objects;

/**
 * Thrown from a training callback to stop training because of an alert (see {@link StopTrainingHandler}). It
 * propagates out of {@code fit(...)}; the alert says why, where and when.
 *
 * <pre>{@code
 * try {
 *     net.fit(trainData, 10);
 * } catch (GradientAlertException e) {
 *     GradientAlert a = e.alert();
 *     System.err.println("stopped at iteration " + a.iteration() + " in layer " + a.layerLabel() + ": " + a.hint());
 * }
 * }</pre>
 */
public class GradientAlertException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final GradientAlert alert;

    public GradientAlertException(GradientAlert alert) {
        super(describe(Objects.requireNonNull(alert, "alert")));
        this.alert = alert;
    }

    /** The alert that stopped training. */
    public GradientAlert alert() {
        return alert;
    }

    private static String describe(GradientAlert a) {
        return "training stopped on " + a.severity() + " " + a.type() + " alert at iteration " + a.iteration()
                + ", layer " + a.layerLabel() + a.param().map(p -> " param " + p).orElse("")
                + " (worker " + a.workerId() + "): " + a.message() + " Fix: " + a.hint();
    }
}
