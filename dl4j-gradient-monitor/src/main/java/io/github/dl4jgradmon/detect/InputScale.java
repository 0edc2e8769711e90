package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.internal.util.Text;
import io.github.dl4jgradmon.model.LayerGraph;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether a run's inputs look unscaled, judged once, on its first snapshot with a finite, non-zero gradient: an
 * input-side layer's gradient norm more than {@value #DWARFS} times the largest of the other layers' (the input scale
 * enters the first layer's gradient, and saturating or normalizing layers keep it from the rest), or more than
 * {@value #DWARFS} times that layer's own parameter norm (a ReLU network passes the scale on to every layer, so only
 * the size against the weights shows it: features multiplied by 1e4 gave a first-layer gradient 1,270 times its
 * Xavier weights' norm at the first step). EXPLODING and NON_FINITE alerts then say to normalize the inputs first.
 * Under a layer filter that leaves layers out, only the comparison with the layer's own weights is made.
 * Constant memory; not thread-safe (one per detector session).
 */
final class InputScale {

    /** How many times the other layers' (or its own weights') norm an input-side layer's gradient must reach. */
    static final double DWARFS = 100;

    private boolean judged;
    private String evidence;

    /** Judges the first finite, non-zero snapshot; later calls do nothing. */
    void observe(GradientSnapshot s) {
        double g = s.globalGradientNorm();
        if (judged || !(g > 0) || !Double.isFinite(g)) {
            return;
        }
        judged = true;
        List<LayerGradientStats> layers = s.layers();
        LayerGraph graph = s.graph();
        double others = 0;
        // a layer filter that leaves layers out: "the largest of the others" would be a part's; own weights only
        boolean partial = s.unwatched().filter(u -> u.layerCount() > 0).isPresent();
        for (int i = 0; i < layers.size() && !partial; i++) {
            if (!graph.isInputSide(i)) {
                others = Math.max(others, layers.get(i).gradientNorm());
            }
        }
        for (int k = 0; k < graph.inputSideCount() && evidence == null; k++) {
            LayerGradientStats l = layers.get(graph.inputSide(k));
            double norm = l.gradientNorm();
            if (others > 0 && norm > DWARFS * others) {
                evidence = "at the first step the gradient of " + Text.layer(l) + " (" + Text.num(norm) + ") was "
                        + Text.num(norm / others) + " times the largest of the other layers'";
            } else if (l.paramNorm() > 0 && norm > DWARFS * l.paramNorm()) {
                evidence = "at the first step the gradient of " + Text.layer(l) + " (" + Text.num(norm) + ") was "
                        + Text.num(norm / l.paramNorm()) + " times the norm of its parameters";
            }
        }
    }

    /**
     * The alerts with "normalize the inputs" put first in the hint of each one of {@code type}, when the inputs are
     * suspect; {@code alerts} unchanged otherwise.
     */
    List<GradientAlert> hinted(List<GradientAlert> alerts, AlertType type) {
        if (evidence == null || alerts.isEmpty()) {
            return alerts;
        }
        List<GradientAlert> out = new ArrayList<>(alerts.size());
        for (GradientAlert a : alerts) {
            out.add(a.type() != type || a.severity() == Severity.INFO ? a
                    : new GradientAlert(a.type(), a.severity(), a.workerId(), a.iteration(), a.layer(), a.param(),
                    a.value(), a.threshold(), a.message(), Hints.NORMALIZE_INPUTS + " (" + evidence + "); then "
                    + a.hint(), a.layers()));
        }
        return out;
    }
}
