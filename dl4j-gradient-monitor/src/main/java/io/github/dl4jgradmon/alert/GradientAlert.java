package io.github.dl4jgradmon.alert;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One detected gradient problem: data first (type, where, when, the measured value and the threshold it crossed),
 * then text (a message with the numbers and a hint written as the DL4J configuration change that addresses it).
 *
 * <pre>{@code
 * GradientMonitor monitor = GradientMonitor.builder()
 *         .onAlert(alert -> {
 *             if (alert.type() == AlertType.VANISHING) {
 *                 System.out.println(alert.layer() + ": " + alert.message() + " Fix: " + alert.hint());
 *             }
 *         })
 *         .build();
 * }</pre>
 *
 * <p>Serializable (through a private serial form, since {@link Optional} is not).
 *
 * @param type      what kind of problem
 * @param severity  how serious
 * @param workerId  the model (ParallelWrapper worker) whose gradients showed it, {@code "0"} for the first
 * @param iteration the DL4J iteration of the gradient that showed it
 * @param layer     the layer's name, or {@link #MODEL} when the alert concerns the whole model (global norm, score)
 * @param param     the parameter key ({@code W}, {@code b}, ...) when the alert concerns one parameter array
 * @param value     the measured value (a norm, a ratio, a fraction, a count, a score), NaN when not applicable
 * @param threshold the threshold the value crossed, NaN when not applicable
 * @param message   one sentence naming the layer and showing the numbers
 * @param hint      what to change, in DL4J builder syntax
 * @param layers    every layer the condition spans, in layer order; {@link #layer()} is the one it is filed under
 *                  (usually the first). A condition that spans layers is one alert, not one per layer. Empty for a
 *                  model-wide alert that names no layer.
 */
public record GradientAlert(AlertType type, Severity severity, String workerId, long iteration, String layer,
                            Optional<String> param, double value, double threshold, String message, String hint,
                            List<String> layers) implements Serializable {

    /** An alert about one layer ({@code layers} is that layer), or a model-wide one naming none. */
    public GradientAlert(AlertType type, Severity severity, String workerId, long iteration, String layer,
                         Optional<String> param, double value, double threshold, String message, String hint) {
        this(type, severity, workerId, iteration, layer, param, value, threshold, message, hint,
                layer == null || layer.equals(MODEL) ? List.of() : List.of(layer));
    }

    /** The {@link #layer()} of alerts about the whole model rather than one layer. */
    public static final String MODEL = "";

    public GradientAlert {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(param, "param");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(hint, "hint");
        if (iteration < 0) {
            throw new IllegalArgumentException("iteration must be >= 0 (got: " + iteration + ")");
        }
        layers = List.copyOf(Objects.requireNonNull(layers, "layers"));
    }

    /** True when the alert concerns the whole model ({@link #layer()} is {@link #MODEL}). */
    public boolean isModelWide() {
        return layer.equals(MODEL);
    }

    /** The layer's name, or {@code "(model)"} for model-wide alerts: for logs and tables. */
    public String layerLabel() {
        return isModelWide() ? "(model)" : layer;
    }

    @Serial
    private Object writeReplace() {
        return new SerialForm(this);
    }

    /** The serialized shape of a {@link GradientAlert}: the same fields with {@code param} as a nullable string. */
    private record SerialForm(AlertType type, Severity severity, String workerId, long iteration, String layer,
                              String param, double value, double threshold, String message, String hint,
                              List<String> layers) implements Serializable {

        @Serial
        private static final long serialVersionUID = 1L;

        SerialForm(GradientAlert a) {
            this(a.type, a.severity, a.workerId, a.iteration, a.layer, a.param.orElse(null), a.value, a.threshold,
                    a.message, a.hint, a.layers);
        }

        @Serial
        private Object readResolve() {
            return new GradientAlert(type, severity, workerId, iteration, layer, Optional.ofNullable(param), value,
                    threshold, message, hint, layers == null ? List.of() : layers);
        }
    }
}
