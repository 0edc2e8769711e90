package io.github.dl4jgradmon.model;

import io.github.dl4jgradmon.stats.LayerGradientStats;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What DL4J itself does to a layer's gradient between the raw gradient the monitor measures and the update it applies,
 * read from the layer's configuration. The monitor's gradient statistics are taken before both (at
 * {@code onGradientCalculation}); its update statistics after both (at {@code iterationDone}). So under
 * {@code gradientNormalization(ClipL2PerLayer)} a layer's gradient norm can be far above what DL4J lets through, and
 * under {@code l2}, {@code l1} or {@code weightDecay} the update holds a term the gradient does not.
 *
 * <pre>{@code
 * LayerGradientStats layer = snapshot.layers().get(0);
 * if (layer.dl4jHandling().changesGradient()) {
 *     System.out.println(layer.name() + ": " + layer.dl4jHandling().describe());
 * }
 * }</pre>
 *
 * @param normalization  the layer's {@code GradientNormalization} as DL4J names it, {@code None} when not configured
 * @param threshold      its {@code gradientNormalizationThreshold} (batch-averaged units) for the modes that use one
 *                       ({@code ClipElementWiseAbsoluteValue}, {@code ClipL2PerLayer}, {@code ClipL2PerParamType});
 *                       NaN otherwise
 * @param regularization per parameter key, the regularization terms DL4J adds, e.g. {@code W -> [l2=1.0E-4]};
 *                       parameters without any are absent
 */
public record GradientHandling(String normalization, double threshold, Map<String, List<String>> regularization) {

    /** Neither gradient normalization nor regularization. */
    public static final GradientHandling NONE = new GradientHandling("None", Double.NaN, Map.of());

    public GradientHandling {
        Objects.requireNonNull(normalization, "normalization");
        Map<String, List<String>> copy = new LinkedHashMap<>();
        Objects.requireNonNull(regularization, "regularization").forEach((k, v) -> {
            if (!v.isEmpty()) {
                copy.put(k, List.copyOf(v));
            }
        });
        regularization = Collections.unmodifiableMap(copy);
    }

    /** Whether DL4J normalizes or clips this layer's gradient before its updater. */
    public boolean normalizes() {
        return !"None".equals(normalization);
    }

    /** Whether DL4J adds a regularization term to any of this layer's parameters' updates. */
    public boolean regularizes() {
        return !regularization.isEmpty();
    }

    /** Whether the applied update differs from what the raw gradient alone would give. */
    public boolean changesGradient() {
        return normalizes() || regularizes();
    }

    /**
     * One line for people, e.g. {@code "DL4J gradient normalization ClipL2PerLayer (threshold 1.0) and
     * regularization W: l2=1.0E-4 apply after the gradient is measured and before the update"}; a plain statement
     * when neither applies.
     */
    public String describe() {
        if (!changesGradient()) {
            return "no DL4J gradient normalization or regularization: the update follows from the measured gradient "
                    + "and the updater alone";
        }
        List<String> parts = new ArrayList<>();
        if (normalizes()) {
            parts.add("gradient normalization " + normalization
                    + (Double.isNaN(threshold) ? "" : String.format(Locale.ROOT, " (threshold %s)", threshold)));
        }
        if (regularizes()) {
            List<String> terms = new ArrayList<>();
            regularization.forEach((k, v) -> terms.add(k + ": " + String.join(", ", v)));
            parts.add("regularization " + String.join("; ", terms));
        }
        return "DL4J " + String.join(" and ", parts) + " apply after the gradient is measured and before the update";
    }
}
