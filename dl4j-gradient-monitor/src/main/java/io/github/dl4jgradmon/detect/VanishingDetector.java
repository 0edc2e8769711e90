package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.internal.util.Checks;
import io.github.dl4jgradmon.internal.util.Text;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;

import io.github.dl4jgradmon.model.LayerGraph;

import java.io.Serial;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link AlertType#VANISHING}: the early layers' gradients are tiny next to the output layers', so the early layers
 * barely learn. AutoTrainer's rule (Zhang et al. ICSE 2021): the first layer's gradient norm over the last layer's is
 * below {@code minLayerRatio} AND the first layer's norm is below {@code maxFirstLayerNorm}, here for
 * {@code patience} consecutive snapshots. "First" and "last" follow the graph ({@link
 * io.github.dl4jgradmon.model.LayerGraph}): each input-side layer is compared with the largest norm among the
 * output-side layers it feeds, so a multi-input or multi-output ComputationGraph is judged per path. The ratio keeps a
 * converged healthy net quiet: there all layers' gradients shrink together (a run where they all collapse while the
 * loss stays put is {@link StallDetector}'s case). A layer whose gradient is exactly zero is dead, not vanishing: it is
 * left to {@link DeadUnitsDetector} and {@link NoGradientDetector}. While the condition holds, each snapshot raises ONE WARNING naming
 * every affected layer (each compared with the output-side layers it feeds), filed under the first. Its hint follows
 * the affected layers' activation: sigmoid/tanh layers are told to use ReLU, ReLU layers are pointed at dead units,
 * the learning rate, batch normalization and residual connections.
 *
 * <p>Vanishing through time, in a recurrent network whose layers all get a live gradient, is not this rule's: the
 * monitor finds it when {@link StallDetector} fires on a recurrent MultiLayerNetwork, by measuring the gradient
 * with respect to the input at each time step, and reports it as a VANISHING WARNING while this detector is enabled
 * (docs/diagnoses.md).
 *
 * <pre>{@code
 * VanishingDetector d = VanishingDetector.builder().patience(20).build();
 * }</pre>
 *
 * @param minLayerRatio     layer/output-layer gradient-norm ratio below which a layer vanishes (default 1e-3)
 * @param maxFirstLayerNorm gradient norm below which a layer counts as tiny (default 1e-4, batch-averaged units)
 * @param patience          consecutive snapshots an input-side layer must vanish before alerts (default 5)
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

    /** An exactly-zero gradient is not vanishing: that layer is dead (DEAD_UNITS, NO_GRADIENT), not small. */
    private boolean vanishes(double norm, double reference) {
        return reference > 0 && norm > 0 && Double.isFinite(norm) && norm / reference < minLayerRatio
                && norm < maxFirstLayerNorm;
    }

    private final class State implements Session {
        private int run;
        private final SnapshotAlerts.Anchor anchor = new SnapshotAlerts.Anchor();

        @Override
        public List<GradientAlert> inspect(GradientSnapshot s) {
            List<LayerGradientStats> layers = s.layers();
            LayerGraph graph = s.graph();
            boolean any = false;
            for (int k = 0; k < graph.inputSideCount() && !any; k++) {
                int i = graph.inputSide(k);
                any = vanishes(layers.get(i).gradientNorm(), OutputReference.norm(s, i));
            }
            if (!any || NoGradientDetector.zeroArrayFraction(s) >= NoGradientDetector.DEFAULT_ZERO_ARRAYS) {
                run = 0; // a ratio against an exactly-zero network is NO_GRADIENT's case, not vanishing
                anchor.clear();
                return List.of();
            }
            run++;
            if (run < patience) {
                return List.of();
            }
            List<String> names = new ArrayList<>();
            List<LayerGradientStats> vanishing = new ArrayList<>();
            for (int i = 0; i < layers.size(); i++) {
                if (vanishes(layers.get(i).gradientNorm(), OutputReference.norm(s, i))) {
                    names.add(layers.get(i).name());
                    vanishing.add(layers.get(i));
                }
            }
            String filed = anchor.pick(names);
            int first = indexOf(layers, filed);
            LayerGradientStats l = layers.get(first);
            LayerGradientStats out = layers.get(OutputReference.layer(s, first));
            double ratio = l.gradientNorm() / out.gradientNorm();
            return List.of(SnapshotAlerts.grouped(AlertType.VANISHING, Severity.WARNING, s, filed, names, null, ratio,
                    minLayerRatio, "gradient norm of " + Text.layer(l) + " is " + Text.num(l.gradientNorm()) + ", "
                            + Text.num(ratio) + " times that of " + Text.layer(out) + " (" + Text.num(out.gradientNorm())
                            + "), below " + Text.num(minLayerRatio) + " for " + run + " snapshots; vanishing in "
                            + SnapshotAlerts.count(names) + ": the early layers barely learn", Hints.vanishing(vanishing)));
        }
    }

    private static int indexOf(List<LayerGradientStats> layers, String name) {
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).name().equals(name)) {
                return i;
            }
        }
        return 0;
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
            this.minLayerRatio = minLayerRatio;
            return checked();
        }

        /** Gradient norm below which a layer counts as tiny. Default 1e-4. */
        public Builder maxFirstLayerNorm(double maxFirstLayerNorm) {
            this.maxFirstLayerNorm = maxFirstLayerNorm;
            return checked();
        }

        /** Consecutive snapshots an input-side layer must vanish before alerts. Default 5. */
        public Builder patience(int patience) {
            this.patience = patience;
            return checked();
        }

        /** Fails fast: builds once, so a bad value fails at its setter with the record's own message. */
        private Builder checked() {
            build();
            return this;
        }

        public VanishingDetector build() {
            return new VanishingDetector(minLayerRatio, maxFirstLayerNorm, patience);
        }
    }
}
