package io.github.dl4jgradmon.stats;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the monitor did to one iteration's gradient before DL4J applied it.
 *
 * <pre>{@code
 * Reaction r = snapshot.reaction();
 * if (r.clipped()) {
 *     System.out.println(r.method() + " scaled the gradient from " + r.normBefore() + " to " + r.normAfter());
 * }
 * }</pre>
 *
 * @param method       the clipping strategy that ran ({@code globalNorm}, {@code agc}, ...), or empty when none is
 *                     configured
 * @param threshold    the threshold it used this iteration, batch-averaged units (adaptive strategies move it);
 *                     NaN when not applicable
 * @param normBefore   global gradient norm before the reaction, batch-averaged units
 * @param normAfter    global gradient norm after it (equal to {@code normBefore} when nothing was clipped)
 * @param layerFactors for each layer whose gradient changed: its norm after divided by its norm before
 * @param stepSkipped  true when the step was poisoned (NaN/Inf) and not applied: parameters and updater state were
 *                     restored after DL4J's update
 */
public record Reaction(String method, double threshold, double normBefore, double normAfter,
                       Map<String, Double> layerFactors, boolean stepSkipped) {

    /** Nothing configured, nothing done. */
    public static final Reaction NONE = new Reaction("", Double.NaN, Double.NaN, Double.NaN, Map.of(), false);

    public Reaction {
        Objects.requireNonNull(method, "method");
        layerFactors = Collections.unmodifiableMap(new LinkedHashMap<>(layerFactors));
    }

    /** True when clipping changed at least one layer's gradient. */
    public boolean clipped() {
        return !layerFactors.isEmpty();
    }
}
