package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.internal.util.Checks;
import io.github.dl4jgradmon.internal.util.Text;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;

import java.io.Serial;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link AlertType#SATURATION}: most of a sigmoid or tanh layer's inputs lie beyond +-5, where the activation is
 * flat and its derivative nearly zero, averaged over a window of snapshots (DeepDiagnosis' saturated-activation rule,
 * Wardat et al. ICSE 2022: more than 50% of the inputs beyond +-5). It reads
 * {@link LayerGradientStats#saturation()}, measured by the monitor from each sigmoid/tanh layer's outputs in the
 * forward pass of the layer types that apply their activation to the output they hand on (not BatchNormalization,
 * whose configuration carries DL4J's default sigmoid without applying it); layers without the measurement are
 * skipped. Saturated layers on one snapshot make ONE alert naming them, filed under the first. WARNING, or INFO once
 * the loss's moving average has fallen below a quarter of its starting level (the mean of the first 10 scores): a
 * net that learned despite saturated units (sigmoid by DL4J's default activation) is not in trouble.
 *
 * <pre>{@code
 * SaturationDetector d = SaturationDetector.builder().threshold(0.8).build();
 * }</pre>
 *
 * @param threshold mean saturated fraction above which a layer is saturated, in (0, 1] (default 0.5)
 * @param window    snapshots averaged; alerts start once the window is full (default 10)
 */
public record SaturationDetector(double threshold, int window) implements Detector {

    /** A moving-average loss below this fraction of its start: the net learned despite saturation (INFO). */
    static final double LEARNED = 0.25;

    @Serial
    private static final long serialVersionUID = 1L;

    public SaturationDetector {
        Checks.fraction("threshold", threshold);
        Checks.atLeast("window", window, 1);
    }

    public static SaturationDetector defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public AlertType type() {
        return AlertType.SATURATION;
    }

    @Override
    public Session newSession() {
        return new State();
    }

    private final class State implements Session {
        private RingWindow[] windows = new RingWindow[0];
        private final SnapshotAlerts.Anchor anchor = new SnapshotAlerts.Anchor();
        private final LossLevel loss = new LossLevel();

        @Override
        public List<GradientAlert> inspect(GradientSnapshot s) {
            loss.add(s.score());
            List<LayerGradientStats> layers = s.layers();
            windows = RingWindow.perLayer(windows, layers.size(), window);
            List<String> names = null;
            int first = -1;
            double firstMean = Double.NaN;
            for (int i = 0; i < layers.size(); i++) {
                LayerGradientStats l = layers.get(i);
                double saturation = l.saturation();
                if (Double.isNaN(saturation)) {
                    continue;
                }
                RingWindow w = windows[i];
                w.add(saturation);
                double mean = w.mean();
                if (w.isFull() && mean > threshold) {
                    names = names == null ? new ArrayList<>() : names;
                    names.add(l.name());
                    if (first < 0) {
                        first = i;
                        firstMean = mean;
                    }
                }
            }
            if (names == null) {
                anchor.clear();
                return List.of();
            }
            boolean learned = loss.fellBelow(LEARNED);
            return List.of(SnapshotAlerts.grouped(AlertType.SATURATION, learned ? Severity.INFO : Severity.WARNING, s,
                    anchor.pick(names), names, null, firstMean, threshold, Text.num(100 * firstMean)
                            + "% of the inputs of " + Text.layer(layers.get(first)) + " lie beyond +-5, where the "
                            + "activation is flat (mean over " + window + " snapshots, threshold "
                            + Text.num(threshold) + "); saturated: " + SnapshotAlerts.count(names)
                            + ". Saturated units pass back almost no gradient" + (learned ? "; the loss has fallen to "
                            + Text.num(100 * loss.fraction()) + "% of its start, so it costs little so far" : ""),
                    Hints.SATURATION));
        }
    }

    /**
     * Configures a {@link SaturationDetector}; each setter checks its value.
     *
     * <pre>{@code
     * SaturationDetector d = SaturationDetector.builder().window(20).build();
     * }</pre>
     */
    public static final class Builder {
        private double threshold = 0.5;
        private int window = 10;

        private Builder() {
        }

        /** Mean saturated fraction above which a layer alerts, in (0, 1]. Default 0.5. */
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

        public SaturationDetector build() {
            return new SaturationDetector(threshold, window);
        }
    }
}
