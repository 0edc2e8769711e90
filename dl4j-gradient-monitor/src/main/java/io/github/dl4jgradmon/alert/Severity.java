package io.github.dl4jgradmon.alert;

/**
 * How serious an alert is, in increasing order: {@link #INFO} &lt; {@link #WARNING} &lt; {@link #CRITICAL}.
 *
 * <pre>{@code
 * if (alert.severity().isAtLeast(Severity.WARNING)) {
 *     notifyOnCall(alert);
 * }
 * }</pre>
 */
public enum Severity {
    /** Worth knowing; training is probably fine (e.g. a learning rate that looks low). */
    INFO,
    /** Training is likely to be impaired; look at the hint. */
    WARNING,
    /** Training is broken or about to be (NaN gradients, runaway growth of the gradient norm). */
    CRITICAL;

    /** True when this severity is {@code other} or more serious. */
    public boolean isAtLeast(Severity other) {
        return compareTo(other) >= 0;
    }
}
