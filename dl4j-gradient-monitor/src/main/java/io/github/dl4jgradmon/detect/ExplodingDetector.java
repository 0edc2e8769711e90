package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.internal.util.Checks;
import io.github.dl4jgradmon.model.LayerGraph;
import io.github.dl4jgradmon.stats.GradientSnapshot;

import java.io.Serial;
import java.util.List;

/**
 * {@link AlertType#EXPLODING}: divergence, caught on the way up, before the first NaN; measured against the run's own
 * scale, never against a baseline of one snapshot. Five rules, each at most one alert per snapshot, each a small
 * package-private class that names itself in front of its alerts' messages ({@code "[growth] global gradient norm
 * is ..."}):
 * <ol>
 *     <li><b>growth</b>: the first {@code scaleWindow} snapshots set the run's scale, the largest finite global
 *     gradient norm among them (and per layer, to name the layers that grew). Nothing is judged during that warm-up.
 *     Afterwards a global norm above {@code growthFactor} times that scale is CRITICAL ("training is diverging") once
 *     confirmed: the loss rising with it (its moving average above {@code lossFactor} times its lowest), the norm
 *     rising on {@code confirmSnapshots} consecutive snapshots while the loss does not fall, or the norm turning
 *     non-finite. Confirmation by the loss also needs the loss to have given back more than half of what it
 *     learned since the warm-up (a trained VGG16 whose loss bumped from 0.1 to 0.2 while its raw gradient grew is
 *     not diverging). Unconfirmed, it is a WARNING while the loss is clearly off its best (moving average above
 *     sqrt({@code lossFactor}) times its lowest) and not well below its level at the end of the warm-up (under 0.75
 *     of it), and INFO otherwise: a net that learns may grow its raw gradient with the signal it finds (an LSTM
 *     leaving its flat start does, with a noisy loss), and sustained growth confirms only together with such a
 *     loss.</li>
 *     <li><b>size</b>: a layer whose gradient entries average more than {@code maxRms} in magnitude (root mean
 *     square, batch-averaged units), from the first snapshot on: a scale no healthy model reaches whatever its size
 *     (a freshly built ResNet50 peaks near 300, in its stem), and the only way to see a net that is exploded at
 *     initialization, whose first finite snapshot is also its last. WARNING, CRITICAL once the loss rises with it.</li>
 *     <li><b>spike</b> (INFO, "gradient spike on one batch"): after {@code warmup} snapshots, a global norm whose
 *     z-score against its exponential moving mean and variance of log(norm) (smoothing {@code alpha}, as in ZClip,
 *     Kumar et al. 2025) exceeds {@code zThreshold}, while still below the growth bar. A hard batch after convergence
 *     looks like this: many times the recent level, far below the run's early norms. Outliers enter the averages
 *     clamped, as in ZClip; a floor of 0.2 on the standard deviation of log(norm) makes a spike at least
 *     e^(0.2 zThreshold) times the baseline.</li>
 *     <li><b>layer-ratio</b> (WARNING): an input-side layer's gradient norm above {@code maxLayerRatio} times the
 *     largest norm of the output-side layers it feeds, for {@code ratioPatience} consecutive snapshots (AutoTrainer,
 *     Zhang et al. ICSE 2021: first/last ratio &gt; 70; here per path through the graph, see
 *     {@link LayerGraph}).</li>
 *     <li><b>ceiling</b> (WARNING, off by default): any norm above an absolute {@code maxNorm}. An absolute ceiling
 *     cannot know a model's size (a freshly built ResNet50 has a global norm in the tens of thousands), so it is for
 *     users who know their model's range.</li>
 * </ol>
 * A condition that spans layers is one alert: filed under the first layer, naming how many and which. When the first
 * step already pointed at unscaled inputs ({@link InputScale}), WARNING and CRITICAL alerts say to normalize them
 * first.
 *
 * <pre>{@code
 * ExplodingDetector d = ExplodingDetector.builder()
 *         .growthFactor(20)      // allow more growth over the early scale
 *         .maxNorm(100)          // and an absolute ceiling for a small, well-scaled model
 *         .build();
 * }</pre>
 *
 * @param maxNorm          absolute ceiling for any gradient norm; {@code Double.POSITIVE_INFINITY} (the default)
 *                         disables the rule
 * @param zThreshold       z-score of log(norm) above which a norm is a spike (default 5)
 * @param warmup           snapshots observed before spikes are judged (default 25, as ZClip)
 * @param alpha            smoothing of the moving mean and variance, in (0, 1) (default 0.97, as ZClip)
 * @param growthFactor     how many times the run's early scale the global norm may reach (default 10)
 * @param scaleWindow      first snapshots whose largest norm is the run's scale; no growth rule before (default 10)
 * @param confirmSnapshots consecutive rising snapshots above the growth bar that confirm a divergence (default 3)
 * @param lossFactor       moving-average loss above this many times its lowest confirms a divergence (default 2)
 * @param maxLayerRatio    input-side/output-side layer gradient-norm ratio above which layers explode (default 70)
 * @param ratioPatience    consecutive snapshots the ratio must stay above {@code maxLayerRatio} (default 5)
 * @param maxRms           per-entry root mean square of a layer's gradient above which it explodes whatever the
 *                         run's history (default 1e4); {@code Double.POSITIVE_INFINITY} disables the rule
 */
public record ExplodingDetector(double maxNorm, double zThreshold, int warmup, double alpha, double growthFactor,
                                int scaleWindow, int confirmSnapshots, double lossFactor, double maxLayerRatio,
                                int ratioPatience, double maxRms) implements Detector {

    @Serial
    private static final long serialVersionUID = 2L;

    public ExplodingDetector {
        Checks.positive("maxNorm", maxNorm);
        Checks.positive("zThreshold", zThreshold);
        Checks.atLeast("warmup", warmup, 1);
        Checks.openUnit("alpha", alpha);
        Checks.greaterThan("growthFactor", growthFactor, 1);
        Checks.atLeast("scaleWindow", scaleWindow, 2);
        Checks.atLeast("confirmSnapshots", confirmSnapshots, 1);
        Checks.greaterThan("lossFactor", lossFactor, 1);
        Checks.greaterThan("maxLayerRatio", maxLayerRatio, 1);
        Checks.atLeast("ratioPatience", ratioPatience, 1);
        Checks.positive("maxRms", maxRms);
    }

    public static ExplodingDetector defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public AlertType type() {
        return AlertType.EXPLODING;
    }

    @Override
    public Session newSession() {
        return new State();
    }

    /**
     * One worker's session: the rules in a fixed order, what they share in {@link ExplodingRun}. On a non-finite
     * global norm only the growth rule judges (a norm that turned NaN after growing confirms a divergence).
     */
    private final class State implements Session {
        private final ExplodingRun run = new ExplodingRun(ExplodingDetector.this);
        private final ExplodingRule growth = new ExplodingGrowthRule(ExplodingDetector.this);
        private final ExplodingRule spike = new ExplodingSpikeRule(ExplodingDetector.this);
        private final ExplodingRule size = new ExplodingSizeRule(ExplodingDetector.this);
        private final ExplodingRule ceiling = new ExplodingCeilingRule(ExplodingDetector.this);
        private final ExplodingRule layerRatio = new ExplodingLayerRatioRule(ExplodingDetector.this);
        private final InputScale inputs = new InputScale();

        @Override
        public List<GradientAlert> inspect(GradientSnapshot s) {
            inputs.observe(s);
            return inputs.hinted(judge(s), AlertType.EXPLODING);
        }

        private List<GradientAlert> judge(GradientSnapshot s) {
            run.observe(s);
            double g = s.globalGradientNorm();
            if (!Double.isFinite(g)) {
                return SnapshotAlerts.orEmpty(with(null, growth.judge(s, run)));
            }
            GradientAlert grown = growth.judge(s, run);
            List<GradientAlert> out = with(null, spike.judge(s, run));
            run.record(s, g); // after growth and spike: the snapshot that completes the scale is not judged against it
            // one explosion, one alert: growth and size describe the same one; the more serious verdict is kept
            GradientAlert large = size.judge(s, run);
            GradientAlert explosion = grown == null ? large : large == null ? grown
                    : large.severity().compareTo(grown.severity()) > 0 ? large : grown;
            out = with(out, explosion);
            out = with(out, ceiling.judge(s, run));
            out = with(out, layerRatio.judge(s, run));
            return SnapshotAlerts.orEmpty(out);
        }

        private static List<GradientAlert> with(List<GradientAlert> out, GradientAlert a) {
            return a == null ? out : SnapshotAlerts.add(out, a);
        }
    }

    /**
     * Configures an {@link ExplodingDetector}; each setter checks its value.
     *
     * <pre>{@code
     * ExplodingDetector d = ExplodingDetector.builder().growthFactor(20).ratioPatience(10).build();
     * }</pre>
     */
    public static final class Builder {
        private double maxNorm = Double.POSITIVE_INFINITY;
        private double zThreshold = 5;
        private int warmup = 25;
        private double alpha = 0.97;
        private double growthFactor = 10;
        private int scaleWindow = 10;
        private int confirmSnapshots = 3;
        private double lossFactor = 2;
        private double maxLayerRatio = 70;
        private int ratioPatience = 5;
        private double maxRms = 1e4;

        private Builder() {
        }

        /**
         * Per-entry root mean square of a layer's gradient above which it explodes whatever the run's history.
         * Default 1e4; {@code Double.POSITIVE_INFINITY} disables.
         */
        public Builder maxRms(double maxRms) {
            this.maxRms = maxRms;
            return checked();
        }

        /**
         * Absolute ceiling for any gradient norm, batch-averaged units. Default {@code Double.POSITIVE_INFINITY}
         * (off): only set it when you know your model's range.
         */
        public Builder maxNorm(double maxNorm) {
            this.maxNorm = maxNorm;
            return checked();
        }

        /** z-score of log(norm) above which a norm spikes (INFO). Default 5. */
        public Builder zThreshold(double zThreshold) {
            this.zThreshold = zThreshold;
            return checked();
        }

        /** Snapshots observed before spikes are judged. Default 25. */
        public Builder warmup(int warmup) {
            this.warmup = warmup;
            return checked();
        }

        /** Smoothing of the moving mean and variance, in (0, 1); closer to 1 remembers longer. Default 0.97. */
        public Builder alpha(double alpha) {
            this.alpha = alpha;
            return checked();
        }

        /** Times the run's early scale the global norm may reach before an alert; > 1. Default 10. */
        public Builder growthFactor(double growthFactor) {
            this.growthFactor = growthFactor;
            return checked();
        }

        /** First snapshots whose largest norm is the run's scale; >= 2. Default 10. */
        public Builder scaleWindow(int scaleWindow) {
            this.scaleWindow = scaleWindow;
            return checked();
        }

        /** Consecutive rising snapshots above the growth bar that make it CRITICAL. Default 3. */
        public Builder confirmSnapshots(int confirmSnapshots) {
            this.confirmSnapshots = confirmSnapshots;
            return checked();
        }

        /** Moving-average loss above this many times its lowest makes growth CRITICAL; > 1. Default 2. */
        public Builder lossFactor(double lossFactor) {
            this.lossFactor = lossFactor;
            return checked();
        }

        /** Input-side/output-side layer gradient-norm ratio above which layers explode; > 1. Default 70. */
        public Builder maxLayerRatio(double maxLayerRatio) {
            this.maxLayerRatio = maxLayerRatio;
            return checked();
        }

        /** Consecutive snapshots the layer ratio must stay high. Default 5. */
        public Builder ratioPatience(int ratioPatience) {
            this.ratioPatience = ratioPatience;
            return checked();
        }

        /** Fails fast: builds once, so a bad value fails at its setter with the record's own message. */
        private Builder checked() {
            build();
            return this;
        }

        public ExplodingDetector build() {
            return new ExplodingDetector(maxNorm, zThreshold, warmup, alpha, growthFactor, scaleWindow,
                    confirmSnapshots, lossFactor, maxLayerRatio, ratioPatience, maxRms);
        }
    }
}
