package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.internal.util.Text;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;
import io.github.dl4jgradmon.stats.ParamGradientStats;
import io.github.dl4jgradmon.stats.UnwatchedLayers;

import io.github.dl4jgradmon.model.LayerGraph;

import java.io.Serial;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link AlertType#NON_FINITE}: a NaN or Inf in any gradient, or (optionally) a non-finite score, reported at the
 * iteration it appears (DeepDiagnosis' "exploding tensor", AutoTrainer's NaN check). One CRITICAL alert per
 * affected snapshot, naming every affected layer ({@link GradientAlert#layers()}). It is filed under the layer where
 * the problem appears first in backpropagation order: an affected layer none of whose downstream layers (towards the
 * outputs, following the model's {@link LayerGraph}) is affected. On a chain that is the last affected layer; on a
 * graph with several outputs there may be several such origins, and the message names them all. When the run's first
 * step pointed at unscaled inputs ({@link InputScale}), the hint says to normalize them first.
 *
 * <pre>{@code
 * NonFiniteDetector all = NonFiniteDetector.builder().build();               // gradients and score
 * NonFiniteDetector gradientsOnly = NonFiniteDetector.builder().checkScore(false).build();
 * }</pre>
 *
 * @param checkScore also alert on a NaN/Inf score when every gradient entry is finite (default true)
 */
public record NonFiniteDetector(boolean checkScore) implements Detector {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Gradients and score checked. */
    public static NonFiniteDetector defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public AlertType type() {
        return AlertType.NON_FINITE;
    }

    @Override
    public Session newSession() {
        InputScale inputs = new InputScale();
        return s -> {
            inputs.observe(s);
            return inputs.hinted(inspect(s), AlertType.NON_FINITE);
        };
    }

    private List<GradientAlert> inspect(GradientSnapshot s) {
        List<LayerGradientStats> layers = s.layers();
        long total = 0;
        int affected = 0;
        for (LayerGradientStats l : layers) {
            long bad = l.nanCount() + l.infCount();
            total += bad;
            affected += bad > 0 ? 1 : 0;
        }
        if (affected > 0) {
            LayerGraph graph = s.graph();
            List<String> all = new ArrayList<>(affected);
            List<String> origins = new ArrayList<>(2);
            int origin = -1;
            for (int i = 0; i < layers.size(); i++) {
                LayerGradientStats l = layers.get(i);
                if (l.nanCount() + l.infCount() == 0) {
                    continue;
                }
                all.add(l.name());
                if (!affectedDownstream(layers, graph, i)) {
                    origins.add(l.name());
                    origin = origin < 0 ? i : origin;
                }
            }
            LayerGradientStats l = layers.get(origin);
            String where = origins.size() == 1
                    ? "gradient of " + Text.layer(l) + " has " + l.nanCount() + " NaN and " + l.infCount()
                            + " Inf entries (where they start in backprop order"
                    : "NaN/Inf gradients start in " + SnapshotAlerts.count(origins) + " (in backprop order; first "
                            + Text.layer(l) + " with " + l.nanCount() + " NaN and " + l.infCount() + " Inf entries";
            String message = where + (all.size() > origins.size() ? "; affected in all: " + SnapshotAlerts.count(all) : "")
                    + "; " + total + " non-finite entries in all, score " + Text.num(s.score()) + ")"
                    + s.unwatched().filter(u -> !u.isFinite()).map(u -> "; and " + (u.nanCount() + u.infCount())
                            + " in the layers the filter leaves out").orElse("");
            return List.of(new GradientAlert(AlertType.NON_FINITE, Severity.CRITICAL, s.workerId(), s.iteration(),
                    l.name(), firstNonFiniteParam(l.params()), l.nanCount() + l.infCount(), 0, message,
                    Hints.NON_FINITE, all));
        }
        if (s.unwatched().isPresent() && !s.unwatched().get().isFinite()) {
            UnwatchedLayers u = s.unwatched().get();
            return List.of(new GradientAlert(AlertType.NON_FINITE, Severity.CRITICAL, s.workerId(), s.iteration(),
                    GradientAlert.MODEL, Optional.empty(), u.nanCount() + u.infCount(), 0, "gradient of the "
                    + u.layerCount() + " layers the layer filter leaves out (" + u.filter() + ") has " + u.nanCount()
                    + " NaN and " + u.infCount() + " Inf entries, score " + Text.num(s.score())
                    + "; watch every layer to see where they start", Hints.NON_FINITE));
        }
        if (checkScore && !Double.isFinite(s.score())) {
            return List.of(new GradientAlert(AlertType.NON_FINITE, Severity.CRITICAL, s.workerId(), s.iteration(),
                    GradientAlert.MODEL, Optional.empty(), s.score(), Double.NaN,
                    "score is " + s.score() + " while every gradient entry is finite", Hints.NON_FINITE));
        }
        return List.of();
    }

    /** Whether a layer downstream of {@code i} (towards the outputs) also has NaN/Inf gradients. */
    private static boolean affectedDownstream(List<LayerGradientStats> layers, LayerGraph graph, int i) {
        for (int j = 0; j < layers.size(); j++) {
            if (j != i && graph.reaches(i, j) && layers.get(j).nanCount() + layers.get(j).infCount() > 0) {
                return true;
            }
        }
        return false;
    }

    private static Optional<String> firstNonFiniteParam(Map<String, ParamGradientStats> params) {
        for (Map.Entry<String, ParamGradientStats> e : params.entrySet()) {
            if (!e.getValue().isFinite()) {
                return Optional.of(e.getKey());
            }
        }
        return Optional.empty();
    }

    /**
     * Configures a {@link NonFiniteDetector}.
     *
     * <pre>{@code
     * NonFiniteDetector d = NonFiniteDetector.builder().checkScore(false).build();
     * }</pre>
     */
    public static final class Builder {
        private boolean checkScore = true;

        private Builder() {
        }

        /** Also alert on a NaN/Inf score when the gradients are finite. Default true. */
        public Builder checkScore(boolean checkScore) {
            this.checkScore = checkScore;
            return this;
        }

        public NonFiniteDetector build() {
            return new NonFiniteDetector(checkScore);
        }
    }
}
