package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;
import io.github.dl4jgradmon.stats.ParamGradientStats;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.util.Checks;
import io.github.dl4jgradmon.util.Text;

import java.io.Serial;
import java.util.List;

/**
 * {@link AlertType#DEAD_UNITS}: most units of a layer get an exactly-zero gradient, averaged over a window of
 * snapshots (AutoTrainer's dying-ReLU rule, Zhang et al. ICSE 2021: zero fraction &gt;= 0.7; DeepDiagnosis' dead
 * node, 70%). Exact zeros almost only come from units that are inactive on the whole minibatch (ReLU family), so the
 * rule applies to every layer.
 *
 * <p>It reads the zero fraction of the bias gradient {@code b} when the layer has one, else of the weights {@code W}.
 * A unit's bias gradient is zero exactly when the unit passed no gradient for any example of the minibatch; the
 * weight gradient also has zero rows for input features that are zero across the batch (sparse inputs such as MNIST
 * borders, one-hot features), which would raise false alarms. Embedding layers are skipped: their unused rows are
 * zero by design. Snapshots whose global gradient norm is zero or non-finite are skipped. With very small minibatches
 * (below about 8) a healthy unit can be silent on the whole batch; raise {@code threshold} there.
 *
 * <pre>{@code
 * DeadUnitsDetector d = DeadUnitsDetector.builder().threshold(0.9).window(50).build();
 * }</pre>
 *
 * @param threshold mean zero fraction at or above which a layer's units are dead, in (0, 1] (default 0.7)
 * @param window    snapshots averaged; alerts start once the window is full (default 10)
 */
public record DeadUnitsDetector(double threshold, int window) implements Detector {

    @Serial
    private static final long serialVersionUID = 1L;

    public DeadUnitsDetector {
        Checks.fraction("threshold", threshold);
        Checks.atLeast("window", window, 1);
    }

    public static DeadUnitsDetector defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public AlertType type() {
        return AlertType.DEAD_UNITS;
    }

    @Override
    public Session newSession() {
        return new State();
    }

    /** The parameter whose zero fraction stands for dead units: {@code b}, else {@code W}; null to skip the layer. */
    static String unitParam(LayerGradientStats l) {
        if (l.type().contains("Embedding")) {
            return null;
        }
        ParamGradientStats b = l.params().get("b");
        if (b != null && b.size() > 0) {
            return "b";
        }
        ParamGradientStats w = l.params().get("W");
        return w != null && w.size() > 0 ? "W" : null;
    }

    private final class State implements Session {
        private RingWindow[] windows = new RingWindow[0];

        @Override
        public List<GradientAlert> inspect(GradientSnapshot s) {
            List<LayerGradientStats> layers = s.layers();
            windows = RingWindow.perLayer(windows, layers.size(), window);
            double g = s.globalGradientNorm();
            if (!(g > 0) || !Double.isFinite(g)) {
                return List.of();
            }
            List<GradientAlert> out = null;
            for (int i = 0; i < layers.size(); i++) {
                LayerGradientStats l = layers.get(i);
                String key = unitParam(l);
                if (key == null) {
                    continue;
                }
                double zeros = l.params().get(key).zeroFraction();
                if (Double.isNaN(zeros)) {
                    continue;
                }
                RingWindow w = windows[i];
                w.add(zeros);
                double mean = w.mean();
                if (w.isFull() && mean >= threshold) {
                    out = Alerts.add(out, Alerts.of(AlertType.DEAD_UNITS, Severity.WARNING, s, l.name(), key, mean,
                            threshold, Text.num(100 * mean) + "% of the " + ("b".equals(key) ? "units" : "weights")
                                    + " of " + Text.layer(l) + " got an exactly-zero gradient (mean of '" + key
                                    + "' zero fraction over " + window + " snapshots, threshold "
                                    + Text.num(threshold) + "): dead units", Hints.DEAD_UNITS));
                }
            }
            return Alerts.orEmpty(out);
        }
    }

    /**
     * Configures a {@link DeadUnitsDetector}; each setter checks its value.
     *
     * <pre>{@code
     * DeadUnitsDetector d = DeadUnitsDetector.builder().threshold(0.8).build();
     * }</pre>
     */
    public static final class Builder {
        private double threshold = 0.7;
        private int window = 10;

        private Builder() {
        }

        /** Mean zero fraction at or above which units are dead, in (0, 1]. Default 0.7. */
        public Builder threshold(double threshold) {
            this.threshold = Checks.fraction("threshold", threshold);
            return this;
        }

        /** Snapshots averaged. Default 10. */
        public Builder window(int window) {
            this.window = Checks.atLeast("window", window, 1);
            return this;
        }

        public DeadUnitsDetector build() {
            return new DeadUnitsDetector(threshold, window);
        }
    }
}
