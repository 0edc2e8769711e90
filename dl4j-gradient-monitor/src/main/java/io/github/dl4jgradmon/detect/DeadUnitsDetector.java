package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.internal.util.Checks;
import io.github.dl4jgradmon.internal.util.Text;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;
import io.github.dl4jgradmon.stats.ParamGradientStats;

import java.io.Serial;
import java.util.ArrayList;
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
 * zero by design, and so are output layers (softmax or identity output units cannot die; their gradient only
 * underflows). Snapshots whose global gradient norm is non-finite or below 1e-4 are skipped (exact zeros there are
 * float underflow in a run whose every layer is tiny: {@link StallDetector}'s case), and so are snapshots where
 * nearly every parameter array is all zero: that is a dead network, {@link NoGradientDetector}'s alert. Layers over
 * the threshold on one snapshot make ONE alert naming them, filed under the first. WARNING, or INFO once the loss's
 * moving average has fallen below half its starting level (the lower of the first score and the mean of the first
 * 10, so that a blow-up in the first steps does not inflate it) and no layer
 * has lost 95% or more of its units: dead units
 * in a net that learned anyway (common after an early overshoot) cost little, and a WARNING the user cannot act on
 * is a false alarm (DeepDiagnosis' dead-node flags on healthy MNIST models). No verdict during the first
 * {@code warmup} snapshots, for the same reason: an early overshoot silences units for a while. When the loss blew up
 * early (a score above five times its start) the message names the blow-up and the hint puts the learning rate first. With very small minibatches
 * (below about 8) a healthy unit can be silent on the whole batch; raise {@code threshold} there.
 *
 * <pre>{@code
 * DeadUnitsDetector d = DeadUnitsDetector.builder().threshold(0.9).window(50).build();
 * }</pre>
 *
 * @param threshold mean zero fraction at or above which a layer's units are dead, in (0, 1] (default 0.7)
 * @param window    snapshots averaged; alerts start once the window is full (default 10)
 * @param warmup    snapshots before the first verdict (default 50): an early overshoot can silence units for a while
 *                  in a net that then learns well
 */
public record DeadUnitsDetector(double threshold, int window, int warmup) implements Detector {

    @Serial
    private static final long serialVersionUID = 2L;

    /** A layer with this mean fraction of dead units has lost nearly all its capacity: WARNING whatever the loss. */
    static final double NEARLY_ALL = 0.95;

    /** Global gradient norm below which exact zeros are float32 underflow rather than dead units (StallDetector's bar). */
    static final double UNDERFLOW = 1e-4;

    public DeadUnitsDetector {
        Checks.fraction("threshold", threshold);
        Checks.atLeast("window", window, 1);
        Checks.atLeast("warmup", warmup, 0);
    }

    /** Without a warm-up: verdicts as soon as the window is full. */
    public DeadUnitsDetector(double threshold, int window) {
        this(threshold, window, 0);
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
        if (l.type().contains("Embedding") || l.type().endsWith("OutputLayer")) {
            return null; // unused embedding rows are zero by design; softmax/identity output units cannot die
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
        private final SnapshotAlerts.Anchor anchor = new SnapshotAlerts.Anchor();
        private final LossLevel loss = new LossLevel();
        private long seen;

        @Override
        public List<GradientAlert> inspect(GradientSnapshot s) {
            List<LayerGradientStats> layers = s.layers();
            windows = RingWindow.perLayer(windows, layers.size(), window);
            loss.add(s.score(), s.iteration());
            seen++;
            double g = s.globalGradientNorm();
            if (!(g >= UNDERFLOW) || !Double.isFinite(g)) {
                return List.of(); // zero, non-finite, or so tiny that exact zeros are float underflow (STALLED's case)
            }
            List<String> names = null;
            double worst = 0;
            int first = -1;
            double firstMean = Double.NaN;
            String firstKey = null;
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
                    names = names == null ? new ArrayList<>() : names;
                    names.add(l.name());
                    worst = Math.max(worst, mean);
                    if (first < 0) {
                        first = i;
                        firstMean = mean;
                        firstKey = key;
                    }
                }
            }
            if (names == null || seen <= warmup
                    || NoGradientDetector.zeroArrayFraction(s) >= NoGradientDetector.DEFAULT_ZERO_ARRAYS) {
                anchor.clear();
                return List.of();
            }
            String filed = anchor.pick(names);
            LayerGradientStats l = layers.get(first);
            boolean learned = loss.fellBelow(LossLevel.HALVED) && worst < NEARLY_ALL;
            return List.of(SnapshotAlerts.grouped(AlertType.DEAD_UNITS, learned ? Severity.INFO : Severity.WARNING, s, filed,
                    names, firstKey,
                    firstMean, threshold, Text.num(100 * firstMean) + "% of the " + ("b".equals(firstKey) ? "units"
                            : "weights") + " of " + Text.layer(l) + " got an exactly-zero gradient (mean of '"
                            + firstKey + "' zero fraction over " + window + " snapshots, threshold "
                            + Text.num(threshold) + "); dead units in " + SnapshotAlerts.count(names) + (learned
                            ? "; the loss has fallen to " + Text.num(100 * loss.fraction()) + "% of its start, so they "
                            + "cost little so far" : "") + blowUp(), loss.blewUp() ? Hints.DEAD_UNITS_AFTER_BLOW_UP
                            : Hints.DEAD_UNITS));
        }

        /** Names an early blow-up of the loss: the likely killer of the units is the learning rate. */
        private String blowUp() {
            if (!loss.blewUp()) {
                return "";
            }
            return "; the loss blew up to " + Text.num(loss.peak()) + " (" + Text.num(loss.peak() / loss.start())
                    + " times its start " + Text.num(loss.start()) + ") at iteration " + loss.peakIteration()
                    + " and is at " + Text.num(loss.average()) + " now: a learning rate too high for this network "
                    + "killed them";
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
        private int warmup = 50;

        private Builder() {
        }

        /** Snapshots before the first verdict. Default 50; 0 judges as soon as the window is full. */
        public Builder warmup(int warmup) {
            this.warmup = warmup;
            return checked();
        }

        /** Mean zero fraction at or above which units are dead, in (0, 1]. Default 0.7. */
        public Builder threshold(double threshold) {
            this.threshold = threshold;
            return checked();
        }

        /** Snapshots averaged. Default 10. */
        public Builder window(int window) {
            this.window = window;
            return checked();
        }

        /** Fails fast: builds once, so a bad value fails at its setter with the record's own message. */
        private Builder checked() {
            build();
            return this;
        }

        public DeadUnitsDetector build() {
            return new DeadUnitsDetector(threshold, window, warmup);
        }
    }
}
