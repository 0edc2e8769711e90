package io.github.dl4jgradmon.stats;

import io.github.dl4jgradmon.internal.stats.Ratios;
import io.github.dl4jgradmon.model.GradientHandling;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Statistics of one layer that has trainable parameters, at one iteration.
 *
 * <pre>{@code
 * for (LayerGradientStats layer : snapshot.layers()) {
 *     System.out.printf(Locale.ROOT, "%-10s %-14s %.3e%n", layer.name(), layer.type(), layer.gradientNorm());
 * }
 * }</pre>
 *
 * @param name         the layer's name as DL4J names it (MultiLayerNetwork: the configured name, else DL4J's default {@code layer<i>};
 *                     ComputationGraph: the vertex name)
 * @param index        position among the model's layers (MultiLayerNetwork index, ComputationGraph topological order)
 * @param type         the layer configuration's simple class name, e.g. {@code DenseLayer}, {@code LSTM}
 * @param gradientNorm L2 norm over all of this layer's trainable gradients, batch-averaged units
 * @param paramNorm    L2 norm over the same parameters, before the update
 * @param updateNorm   L2 norm of the applied update over the same parameters; NaN when not observed
 * @param params       per parameter, keyed as DL4J keys them ({@code W}, {@code b}, {@code RW}, ...), in layout order
 * @param saturation   for sigmoid and tanh layers: the fraction of this iteration's outputs whose input lies beyond
 *                     +-5 (flat regions of the activation); NaN for other layers or when not observed
 * @param moved        parameter arrays the layer moves itself, not by gradient ({@code CenterLossOutputLayer}'s
 *                     {@code cL}, {@code BatchNormalization}'s running {@code mean} and {@code var}), keyed as DL4J
 *                     keys them: values and changes only, never part of the norms above
 * @param dl4jHandling the gradient normalization and regularization DL4J's configuration applies to this layer after
 *                     the gradient is measured and before the update: the gradient figures are before them, the
 *                     update figures after
 * @param activation   the activation function the layer applies, as ND4J names it ({@code relu}, {@code sigmoid},
 *                     {@code tanh}, ...; an LSTM's cell activation); empty when it applies none or it is not known
 */
public record LayerGradientStats(String name, int index, String type, double gradientNorm, double paramNorm,
                                 double updateNorm, Map<String, ParamGradientStats> params, double saturation,
                                 Map<String, MovedParamStats> moved, GradientHandling dl4jHandling,
                                 String activation) {

    /** Statistics with moved parameters and DL4J handling, without a named activation. */
    public LayerGradientStats(String name, int index, String type, double gradientNorm, double paramNorm,
                              double updateNorm, Map<String, ParamGradientStats> params, double saturation,
                              Map<String, MovedParamStats> moved, GradientHandling dl4jHandling) {
        this(name, index, type, gradientNorm, paramNorm, updateNorm, params, saturation, moved, dl4jHandling, "");
    }

    /** Statistics with a named activation, without moved parameters or DL4J handling. */
    public LayerGradientStats(String name, int index, String type, double gradientNorm, double paramNorm,
                              double updateNorm, Map<String, ParamGradientStats> params, double saturation,
                              String activation) {
        this(name, index, type, gradientNorm, paramNorm, updateNorm, params, saturation, Map.of(),
                GradientHandling.NONE, activation);
    }

    /** Statistics without a saturation measurement, moved parameters or DL4J gradient handling. */
    public LayerGradientStats(String name, int index, String type, double gradientNorm, double paramNorm,
                              double updateNorm, Map<String, ParamGradientStats> params) {
        this(name, index, type, gradientNorm, paramNorm, updateNorm, params, Double.NaN, Map.of(),
                GradientHandling.NONE);
    }

    /** Statistics without moved parameters or DL4J gradient handling. */
    public LayerGradientStats(String name, int index, String type, double gradientNorm, double paramNorm,
                              double updateNorm, Map<String, ParamGradientStats> params, double saturation) {
        this(name, index, type, gradientNorm, paramNorm, updateNorm, params, saturation, Map.of(),
                GradientHandling.NONE);
    }

    public LayerGradientStats {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(activation, "activation");
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0 (got: " + index + ")");
        }
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        moved = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(moved, "moved")));
        Objects.requireNonNull(dl4jHandling, "dl4jHandling");
    }

    /** {@code updateNorm / paramNorm} for the whole layer; NaN when either is unknown or zero. */
    public double updateRatio() {
        return Ratios.ratio(updateNorm, paramNorm);
    }

    /** Total NaN entries over this layer's gradients. */
    public long nanCount() {
        long n = 0;
        for (ParamGradientStats p : params.values()) {
            n += p.nanCount();
        }
        return n;
    }

    /** Total Inf entries over this layer's gradients. */
    public long infCount() {
        long n = 0;
        for (ParamGradientStats p : params.values()) {
            n += p.infCount();
        }
        return n;
    }
}
