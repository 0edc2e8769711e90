package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;
import io.github.dl4jgradmon.util.Checks;
import io.github.dl4jgradmon.util.Text;

import java.io.Serial;
import java.util.List;

/**
 * {@link AlertType#VANISHING}: the early layers' gradients are tiny next to the last layer's, so the early layers
 * barely learn. AutoTrainer's rule (Zhang et al. ICSE 2021): the first layer's gradient norm over the last layer's is
 * below {@code minLayerRatio} AND the first layer's norm is below {@code maxFirstLayerNorm}, here for
 * {@code patience} consecutive snapshots. The ratio keeps a converged healthy net quiet: there all layers' gradients
 * shrink together. While the condition holds, each snapshot raises one WARNING per affected layer: every layer
 * (except the last) whose own norm satisfies both bounds, starting with the first.
 *
 * <pre>{@code
 * VanishingDetector d = VanishingDetector.builder().patience(20).build();
 * }</pre>
 *
 * @param minLayerRatio     layer/last-layer gradient-norm ratio below which a layer vanishes (default 1e-3)
 * @param maxFirstLayerNorm gradient norm below which a layer counts as tiny (default 1e-4, batch-averaged units)
 * @param patience          consecutive snapshots the first layer must vanish before alerts (default 5)
 */
public record VanishingDetector(double minLayerRatio, double maxFirstLayerNorm, int patience) implements Detector {

    @Serial
    private static final long serialVersionUID = 1L;

    public VanishingDetector {
        Checks.openUnit("minLayerRatio", minLayerRatio);
        Checks.positive("maxFirstLayerNorm", maxFirstLayerNorm);
        Checks.atLeast("patience", patience, 1);
    }

    public static VanishingDetector defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public AlertType type() {
        return AlertType.VANISHING;
    }

    @Override
    public Session newSession() {
        return new State();
    }

    private boolean vanishes(double norm, double lastNorm) {
        return norm / lastNorm < minLayerRatio && norm < maxFirstLayerNorm;
    }

    private final class State implements Session {
        private int run;

        @Override
        public List<GradientAlert> inspect(GradientSnapshot s) {
            List<LayerGradientStats> layers = s.layers();
            int n = layers.size();
            if (n < 2) {
                run = 0;
                return List.of();
            }
            double lastNorm = layers.get(n - 1).gradientNorm();
            double firstNorm = layers.get(0).gradientNorm();
            if (!(lastNorm > 0) || !Double.isFinite(lastNorm) || !Double.isFinite(firstNorm)
                    || !vanishes(firstNorm, lastNorm)) {
                run = 0;
                return List.of();
            }
            run++;
            if (run < patience) {
                return List.of();
            }
            LayerGradientStats last = layers.get(n - 1);
            List<GradientAlert> out = null;
            for (int i = 0; i < n - 1; i++) {
                LayerGradientStats l = layers.get(i);
                double norm = l.gradientNorm();
                if (Double.isFinite(norm) && vanishes(norm, lastNorm)) {
                    double ratio = norm / lastNorm;
                    out = Alerts.add(out, Alerts.of(AlertType.VANISHING, Severity.WARNING, s, l.name(), null, ratio,
                            minLayerRatio, "gradient norm of " + Text.layer(l) + " is " + Text.num(norm) + ", "
                                    + Text.num(ratio) + " times that of the last " + Text.layer(last) + " ("
                                    + Text.num(lastNorm) + "), below " + Text.num(minLayerRatio) + " for " + run
                                    + " snapshots: the layer barely learns", Hints.VANISHING));
                }
            }
            return Alerts.orEmpty(out);
        }
    }

    /**
     * Configures a {@link VanishingDetector}; each setter checks its value.
     *
     * <pre>{@code
     * VanishingDetector d = VanishingDetector.builder().minLayerRatio(1e-4).patience(10).build();
     * }</pre>
     */
    public static final class Builder {
        private double minLayerRatio = 1e-3;
        private double maxFirstLayerNorm = 1e-4;
        private int patience = 5;

        private Builder() {
        }

        /** Layer/last-layer gradient-norm ratio below which a layer vanishes, in (0, 1). Default 1e-3. */
        public Builder minLayerRatio(double minLayerRatio) {
            this.minLayerRatio = Checks.openUnit("minLayerRatio", minLayerRatio);
            return this;
        }

        /** Gradient norm below which a layer counts as tiny. Default 1e-4. */
        public Builder maxFirstLayerNorm(double maxFirstLayerNorm) {
            this.maxFirstLayerNorm = Checks.positive("maxFirstLayerNorm", maxFirstLayerNorm);
            return this;
        }

        /** Consecutive snapshots before alerts. Default 5. */
        public Builder patience(int patience) {
            this.patience = Checks.atLeast("patience", patience, 1);
            return this;
        }

        public VanishingDetector build() {
            return new VanishingDetector(minLayerRatio, maxFirstLayerNorm, patience);
        }
    }
}
