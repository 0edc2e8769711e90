package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;
import io.github.dl4jgradmon.stats.ParamGradientStats;
import io.github.dl4jgradmon.util.Text;

import java.io.Serial;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link AlertType#NON_FINITE}: a NaN or Inf in any gradient, or (optionally) a non-finite score, reported at the
 * iteration it appears (DeepDiagnosis' "exploding tensor", AutoTrainer's NaN check). One CRITICAL alert per
 * affected snapshot. It names the layer where the problem appears first in backpropagation order, that is the last
 * layer in {@link GradientSnapshot#layers()} order with NaN/Inf entries, since gradients flow from the output layer
 * backwards; the message lists the other affected layers.
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
        return this::inspect;
    }

    private List<GradientAlert> inspect(GradientSnapshot s) {
        List<LayerGradientStats> layers = s.layers();
        int origin = -1;
        long total = 0;
        for (int i = layers.size() - 1; i >= 0; i--) {
            LayerGradientStats l = layers.get(i);
            long bad = l.nanCount() + l.infCount();
            if (bad > 0) {
                if (origin < 0) {
                    origin = i;
                }
                total += bad;
            }
        }
        if (origin >= 0) {
            LayerGradientStats l = layers.get(origin);
            StringBuilder others = new StringBuilder();
            for (int i = origin - 1; i >= 0; i--) {
                LayerGradientStats o = layers.get(i);
                if (o.nanCount() + o.infCount() > 0) {
                    others.append(others.length() == 0 ? "" : ", ").append(o.name());
                }
            }
            String message = "gradient of " + Text.layer(l) + " has " + l.nanCount() + " NaN and " + l.infCount()
                    + " Inf entries (first layer affected in backprop order"
                    + (others.length() == 0 ? "" : "; also in " + others) + "; " + total
                    + " non-finite entries in all, score " + Text.num(s.score()) + ")";
            return List.of(new GradientAlert(AlertType.NON_FINITE, Severity.CRITICAL, s.workerId(), s.iteration(),
                    l.name(), firstNonFiniteParam(l.params()), l.nanCount() + l.infCount(), 0, message,
                    Hints.NON_FINITE));
        }
        if (checkScore && !Double.isFinite(s.score())) {
            return List.of(new GradientAlert(AlertType.NON_FINITE, Severity.CRITICAL, s.workerId(), s.iteration(),
                    GradientAlert.MODEL, Optional.empty(), s.score(), Double.NaN,
                    "score is " + s.score() + " while every gradient entry is finite", Hints.NON_FINITE));
        }
        return List.of();
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
