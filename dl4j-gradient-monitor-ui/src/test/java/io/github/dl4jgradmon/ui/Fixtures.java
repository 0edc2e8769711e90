package io.github.dl4jgradmon.ui;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.model.GradientHandling;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;
import io.github.dl4jgradmon.stats.MovedParamStats;
import io.github.dl4jgradmon.stats.ParamGradientStats;
import io.github.dl4jgradmon.stats.UnwatchedLayers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Hand-made snapshots and alerts with known numbers. */
final class Fixtures {

    static final String SCARY_NAME = "<img src=x onerror=alert(1)>";

    private Fixtures() {
    }

    /** Layer {@code i} of {@code names} has gradient norm {@code 10^-(names.length - 1 - i) * (1 + iteration / 100)}. */
    static GradientSnapshot snapshot(String worker, long iteration, long timestamp, String... names) {
        List<LayerGradientStats> layers = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            double norm = Math.pow(10, -(names.length - 1 - i)) * (1 + iteration / 100.0);
            Map<String, ParamGradientStats> params = new LinkedHashMap<>();
            params.put("W", new ParamGradientStats(100, norm, norm / 10, norm / 2, 0.0, 0, 0, 2.0, 0.002, 0.001));
            params.put("b", new ParamGradientStats(10, 0.0, 0.0, 0.0, 1.0, 0, 0, 0.0, 0.0, Double.NaN));
            layers.add(new LayerGradientStats(names[i], i, "DenseLayer", norm, 2.0, 0.002, params));
        }
        return new GradientSnapshot(worker, iteration, 0, 1.5 - iteration / 1000.0, 32, 1.0 + iteration, timestamp,
                layers);
    }

    /** Text of layer {@code a}'s handling in {@link #handled()}. */
    static final String CLIPPED_AND_L2 = "DL4J gradient normalization ClipL2PerLayer (threshold 0.5) and regularization "
            + "W: l2=1.0E-4 apply after the gradient is measured and before the update";

    /**
     * Two layers: {@code a} under DL4J's ClipL2PerLayer (threshold 0.5) with l2 on W, {@code b} with neither.
     */
    static GradientSnapshot handled() {
        GradientSnapshot plain = snapshot("0", 1, 10, "a", "b");
        List<LayerGradientStats> layers = new ArrayList<>();
        for (LayerGradientStats l : plain.layers()) {
            GradientHandling h = l.name().equals("a")
                    ? new GradientHandling("ClipL2PerLayer", 0.5, Map.of("W", List.of("l2=1.0E-4")))
                    : GradientHandling.NONE;
            layers.add(new LayerGradientStats(l.name(), l.index(), l.type(), l.gradientNorm(), l.paramNorm(),
                    l.updateNorm(), l.params(), Double.NaN, Map.of(), h));
        }
        return new GradientSnapshot("0", 1, 0, plain.score(), 32, plain.globalGradientNorm(), 10, layers);
    }

    /** What {@link #filtered} left out: 12 layers, 33.5M parameters, gradient norm 0.0123, one NaN and two Inf. */
    static final UnwatchedLayers UNWATCHED = new UnwatchedLayers("layers=[out]", 12, 33_500_000, 0.0123, 1, 2);

    /** {@link #snapshot} of the watched layers {@code names}, with {@link #UNWATCHED} summarising the rest. */
    static GradientSnapshot filtered(String worker, long iteration, long timestamp, String... names) {
        GradientSnapshot s = snapshot(worker, iteration, timestamp, names);
        return new GradientSnapshot(s.workerId(), s.iteration(), s.epoch(), s.score(), s.batchSize(),
                s.globalGradientNorm(), s.timestampMillis(), s.layers(), s.reaction(), s.graph(),
                s.pretrainedLayer(), Optional.of(UNWATCHED));
    }

    /** Centers of the last layer, moved by DL4J: 40 entries, norm 3.0, moved by 0.06. */
    static final MovedParamStats CENTERS = new MovedParamStats(40, 3.0, 0.06, 0.02);

    /** {@link #snapshot} of layers {@code a}, {@code out} with {@link #CENTERS} as {@code out}'s {@code cL}. */
    static GradientSnapshot withCenters(String worker, long iteration, long timestamp) {
        GradientSnapshot plain = snapshot(worker, iteration, timestamp, "a", "out");
        List<LayerGradientStats> layers = new ArrayList<>();
        for (LayerGradientStats l : plain.layers()) {
            layers.add(new LayerGradientStats(l.name(), l.index(), l.type(), l.gradientNorm(), l.paramNorm(),
                    l.updateNorm(), l.params(), Double.NaN,
                    l.name().equals("out") ? Map.of("cL", CENTERS) : Map.of(), GradientHandling.NONE));
        }
        return new GradientSnapshot(worker, iteration, 0, plain.score(), 32, plain.globalGradientNorm(), timestamp,
                layers);
    }

    static GradientAlert vanishing(String worker, long iteration, String layer) {
        return new GradientAlert(AlertType.VANISHING, Severity.WARNING, worker, iteration, layer, Optional.of("W"),
                1e-9, 1e-7, "layer " + layer + " gradient norm 1.0e-09 is below 1.0e-07",
                "Use .activation(Activation.RELU).weightInit(WeightInit.RELU)");
    }
}
