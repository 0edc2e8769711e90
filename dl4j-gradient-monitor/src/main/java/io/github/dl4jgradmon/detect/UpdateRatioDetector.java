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
 * {@link AlertType#UPDATE_RATIO}: a layer's update:parameter ratio ({@link LayerGradientStats#updateRatio()},
 * ||update|| / ||params||) stays far from the healthy 1e-3 (DL4J's visualization guide: log10 near -3; DeepDiagnosis'
 * learning-rate check). The mean of log10(ratio) over the last {@code window} snapshots with a known ratio is compared
 * with two bounds: above {@code maxLog10} the learning rate is too high (WARNING); below {@code minLog10} the layer
 * learns too slowly (INFO). Snapshots where the ratio is unknown (NaN: no update observed, all-zero parameters) or
 * zero are skipped. The defaults (-0.5 and -6) are far wider than the guide's -2 / -4, to stay quiet on healthy runs
 * (the zoo TextGenerationLSTM at its default RmsProp(0.01) moves a layer ~10% per step on a plateau, log10 -0.99,
 * and then learns).
 * Layers out of range on one snapshot make one alert per direction, naming them, filed under the first. Nothing is
 * judged during the first {@code warmup} snapshots, and large updates while the loss is still falling (its moving
 * average more than 5% below what it was {@code window} snapshots earlier) are INFO: that is fast learning, not
 * instability; so are large updates once the loss average is below half its start (a net that learned; the zoo
 * TextGenerationLSTM at its default RmsProp(0.01) moves a layer ~10% per step after learning 120 -> 28).
 *
 * <pre>{@code
 * UpdateRatioDetector d = UpdateRatioDetector.builder().maxLog10(-2).minLog10(-4).window(50).build();
 * }</pre>
 *
 * @param maxLog10 mean log10 ratio above which the layer's updates are too large (default -0.5: a third of the
 *                 weights per step)
 * @param minLog10 mean log10 ratio below which the layer's updates are too small (default -6)
 * @param window   snapshots averaged; alerts start once the window is full (default 20)
 * @param warmup   first snapshots not judged (default 50): fresh weights, an output layer above all, move fast by design
 */
public record UpdateRatioDetector(double maxLog10, double minLog10, int window, int warmup) implements Detector {

    @Serial
    private static final long serialVersionUID = 2L;

    public UpdateRatioDetector {
        checkEach(maxLog10, minLog10, window, warmup);
        if (!(minLog10 < maxLog10)) {
            throw new IllegalArgumentException("minLog10 must be < maxLog10 (got: minLog10 " + minLog10
                    + ", maxLog10 " + maxLog10 + ")");
        }
    }

    /** The rule of each value on its own; the builder's setters run these, the pair rule waits for its build(). */
    private static void checkEach(double maxLog10, double minLog10, int window, int warmup) {
        Checks.finite("maxLog10", maxLog10);
        Checks.finite("minLog10", minLog10);
        Checks.atLeast("window", window, 1);
        Checks.atLeast("warmup", warmup, 0);
    }

    public static UpdateRatioDetector defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public AlertType type() {
        return AlertType.UPDATE_RATIO;
    }

    @Override
    public Session newSession() {
        return new State();
    }

    private final class State implements Session {
        private RingWindow[] windows = new RingWindow[0];
        private final SnapshotAlerts.Anchor highAnchor = new SnapshotAlerts.Anchor();
        private final SnapshotAlerts.Anchor lowAnchor = new SnapshotAlerts.Anchor();
        private final LossTrend loss = new LossTrend(window);
        private final LossLevel level = new LossLevel();
        private long seen;

        @Override
        public List<GradientAlert> inspect(GradientSnapshot s) {
            loss.add(s.score());
            level.add(s.score());
            if (seen++ < warmup) {
                return List.of(); // the first steps move fresh weights fast by design
            }
            List<LayerGradientStats> layers = s.layers();
            windows = RingWindow.perLayer(windows, layers.size(), window);
            List<String> high = null;
            List<String> low = null;
            int firstHigh = -1;
            int firstLow = -1;
            for (int i = 0; i < layers.size(); i++) {
                LayerGradientStats l = layers.get(i);
                double ratio = l.updateRatio();
                if (!(ratio > 0) || Double.isInfinite(ratio)) {
                    continue;
                }
                RingWindow w = windows[i];
                w.add(Math.log10(ratio));
                if (!w.isFull()) {
                    continue;
                }
                double mean = w.mean();
                if (mean > maxLog10) {
                    high = high == null ? new ArrayList<>() : high;
                    high.add(l.name());
                    firstHigh = firstHigh < 0 ? i : firstHigh;
                } else if (mean < minLog10) {
                    low = low == null ? new ArrayList<>() : low;
                    low.add(l.name());
                    firstLow = firstLow < 0 ? i : firstLow;
                }
            }
            List<GradientAlert> out = null;
            if (high != null) {
                LayerGradientStats l = layers.get(firstHigh);
                double mean = windows[firstHigh].mean();
                boolean falling = loss.falling();
                boolean learned = level.fellBelow(LossLevel.HALVED);
                out = SnapshotAlerts.add(out, SnapshotAlerts.grouped(AlertType.UPDATE_RATIO, falling || learned ? Severity.INFO
                                : Severity.WARNING, s, highAnchor.pick(high), high, null, mean, maxLog10,
                        "updates of " + Text.layer(l) + " are large: mean log10(update/param) " + Text.num(mean)
                                + " over " + window + " snapshots, above " + Text.num(maxLog10) + " (each step "
                                + "changes the weights by ~" + Text.num(100 * Math.pow(10, mean)) + "%); large in "
                                + SnapshotAlerts.count(high) + (falling ? "; the loss is still falling, so this is fast "
                                + "learning rather than instability" : learned ? "; the loss is below half its start, "
                                + "so the net learns anyway" : ""), Hints.UPDATE_RATIO_HIGH));
            } else {
                highAnchor.clear();
            }
            if (low != null) {
                LayerGradientStats l = layers.get(firstLow);
                double mean = windows[firstLow].mean();
                out = SnapshotAlerts.add(out, SnapshotAlerts.grouped(AlertType.UPDATE_RATIO, Severity.INFO, s, lowAnchor.pick(low),
                        low, null, mean, minLog10, "updates of " + Text.layer(l) + " are tiny: mean log10(update/param) "
                                + Text.num(mean) + " over " + window + " snapshots, below " + Text.num(minLog10)
                                + "; tiny in " + SnapshotAlerts.count(low) + ": they learn very slowly",
                        Hints.UPDATE_RATIO_LOW));
            } else {
                lowAnchor.clear();
            }
            return SnapshotAlerts.orEmpty(out);
        }
    }

    /**
     * Configures an {@link UpdateRatioDetector}; each setter checks its value, {@link #build()} checks that
     * {@code minLog10 < maxLog10}.
     *
     * <pre>{@code
     * UpdateRatioDetector d = UpdateRatioDetector.builder().maxLog10(-1.5).build();
     * }</pre>
     */
    public static final class Builder {
        private double maxLog10 = -0.5;
        private double minLog10 = -6;
        private int window = 20;
        private int warmup = 50;

        private Builder() {
        }

        /** Mean log10(update/param) above which updates are too large. Default -0.5. */
        public Builder maxLog10(double maxLog10) {
            this.maxLog10 = maxLog10;
            return checked();
        }

        /** Mean log10(update/param) below which updates are too small. Default -6. */
        public Builder minLog10(double minLog10) {
            this.minLog10 = minLog10;
            return checked();
        }

        /** Snapshots averaged. Default 20. */
        public Builder window(int window) {
            this.window = window;
            return checked();
        }

        /** First snapshots not judged at all (fresh weights move fast by design). Default 50; 0 judges from the start. */
        public Builder warmup(int warmup) {
            this.warmup = warmup;
            return checked();
        }

        /** Fails fast: each value against its own rule, written once in the record. */
        private Builder checked() {
            checkEach(maxLog10, minLog10, window, warmup);
            return this;
        }

        public UpdateRatioDetector build() {
            return new UpdateRatioDetector(maxLog10, minLog10, window, warmup);
        }
    }
}
