package io.github.dl4jgradmon;

import java.io.Serial;
import java.io.Serializable;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which layers the monitor computes statistics for ({@link GradientMonitor.Builder#layers} and
 * {@link GradientMonitor.Builder#excludeLayers}). A value names a layer as {@code LayerGradientStats.name()} shows it
 * (a MultiLayerNetwork's configured name, else DL4J's default {@code "layer0"}, {@code "layer1"}, ...; a
 * ComputationGraph's vertex name) or a layer type as {@code LayerGradientStats.type()} shows it (the configuration's simple class name:
 * {@code ConvolutionLayer}, {@code BatchNormalization}, {@code LSTM}). Matching is exact and case-sensitive; patterns
 * (globs, regular expressions) are not supported, and a value holding {@code *}, {@code ?} or {@code [} is refused.
 *
 * <p>A layer is watched when {@code include} is empty or one of its values matches it, and no value of
 * {@code exclude} matches it.
 *
 * <pre>{@code
 * GradientMonitor.builder().layers("BatchNormalization", "output").build();  // those layers only
 * GradientMonitor.builder().excludeLayers("ConvolutionLayer").build();       // everything but convolutions
 * }</pre>
 *
 * @param include names or types to watch; empty: every layer
 * @param exclude names or types never to watch
 */
public record LayerFilter(List<String> include, List<String> exclude) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Every layer watched: no filter. */
    public static final LayerFilter ALL = new LayerFilter(List.of(), List.of());

    public LayerFilter {
        include = checked("layers", include);
        exclude = checked("excludeLayers", exclude);
        for (String v : include) {
            if (exclude.contains(v)) {
                throw new IllegalArgumentException("layers and excludeLayers both name '" + v
                        + "': name it in one of them");
            }
        }
    }

    private static List<String> checked(String option, Collection<String> values) {
        if (values == null) {
            throw new IllegalArgumentException(option + " must not be null (got: null)");
        }
        Set<String> out = new LinkedHashSet<>();
        for (String v : values) {
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException(option + " values must be layer names or types (got: "
                        + (v == null ? "null" : "'" + v + "'") + ")");
            }
            if (v.indexOf('*') >= 0 || v.indexOf('?') >= 0 || v.indexOf('[') >= 0) {
                throw new IllegalArgumentException(option + " takes exact layer names or types, not patterns (got: '"
                        + v + "'): list the layers, e.g. " + option + "(\"conv1\", \"conv2\") or a type such as "
                        + option + "(\"ConvolutionLayer\")");
            }
            out.add(v);
        }
        return List.copyOf(out);
    }

    /** True when some layer may be left out. */
    public boolean isActive() {
        return !include.isEmpty() || !exclude.isEmpty();
    }

    /** Whether the layer with this name and type is watched. */
    public boolean watches(String name, String type) {
        boolean in = include.isEmpty() || include.contains(name) || include.contains(type);
        return in && !exclude.contains(name) && !exclude.contains(type);
    }

    /** As messages and snapshots show it, e.g. {@code layers=[output, BatchNormalization] excludeLayers=[]}. */
    public String describe() {
        if (!isActive()) {
            return "all layers";
        }
        StringBuilder b = new StringBuilder();
        if (!include.isEmpty()) {
            b.append("layers=").append(include);
        }
        if (!exclude.isEmpty()) {
            b.append(b.length() > 0 ? " " : "").append("excludeLayers=").append(exclude);
        }
        return b.toString();
    }
}
