package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.internal.util.Checks;
import io.github.dl4jgradmon.internal.util.Text;
import io.github.dl4jgradmon.model.LayerGraph;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;

import java.io.Serial;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link AlertType#EXPLODING}: divergence, caught on the way up, before the first NaN; measured against the run's own
 * scale, never against a baseline of one snapshot. Rules, each at most one alert per snapshot:
 * <ol>
 *     <li><b>growth</b>: the first {@code scaleWindow} snapshots set the run's scale, the largest finite global
 *     gradient norm among them (and per layer, to name the layers that grew). Nothing is judged during that warm-up.
 *     Afterwards a global norm above {@code growthFactor} times that scale is CRITICAL ("training is diverging") once
 *     confirmed: the loss rising with it (its moving average above {@code lossFactor} times its lowest), the norm
 *     rising on {@code confirmSnapshots} consecutive snapshots while the loss does not fall, or the norm turning
 *     non-finite. Confirmation by the loss also needs the loss to have given back more than
 *     {@value #GIVEN_BACK} of what it learned since the warm-up (a trained VGG16 whose loss bumped from 0.1 to
 *     0.2 while its raw gradient grew is not diverging). Unconfirmed, it is a WARNING while the loss is clearly off its best (moving average above
 *     sqrt({@code lossFactor}) times its lowest) and not well below its level at the end of the warm-up (under
 *     {@value #LEARNED_FRACTION} of it), and INFO otherwise: a net that learns may
 *     grow its raw gradient with the signal it finds (an LSTM leaving its flat start does, with a noisy loss), and
 *     sustained growth confirms only together with such a loss.</li>
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
 *     <li><b>layer ratio</b> (WARNING): an input-side layer's gradient norm above {@code maxLayerRatio} times the
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

    /** Smoothing of the loss's moving average (a short memory: about 10 snapshots). */
    static final double LOSS_ALPHA = 0.9;
    /** Unconfirmed growth is INFO once the loss average is below this fraction of its level after the warm-up. */
    static final double LEARNED_FRACTION = 0.75;
    /**
     * Confirmation by the loss needs the loss to have given back more than this share of what it learned since the
     * scale was taken (all of its rise counts for a net that learned nothing): a loss that doubles from near zero
     * is a bump, not a divergence.
     */
    static final double GIVEN_BACK = 0.5;


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

    private final class State implements Session {
        private final LogNormBaseline global = new LogNormBaseline(alpha);
        private int early;
        private double earlyMax;
        private double[] layerEarlyMax = new double[0];
        private double[] layerSqrtSize = new double[0];
        private double previousGlobal = Double.NaN;
        private int growthRun;
        private int rises;
        private double lossAverage = Double.NaN;
        private double lossLowest = Double.NaN;
        private double onsetLoss = Double.NaN;
        private double earlyLoss = Double.NaN;
        private int ratioRun;
        private final SnapshotAlerts.Anchor growthAnchor = new SnapshotAlerts.Anchor();
        private final SnapshotAlerts.Anchor ratioAnchor = new SnapshotAlerts.Anchor();
        private final SnapshotAlerts.Anchor sizeAnchor = new SnapshotAlerts.Anchor();
        private final InputScale inputs = new InputScale();

        @Override
        public List<GradientAlert> inspect(GradientSnapshot s) {
            inputs.observe(s);
            return inputs.hinted(judge(s), AlertType.EXPLODING);
        }

        private List<GradientAlert> judge(GradientSnapshot s) {
            List<LayerGradientStats> layers = s.layers();
            if (layerEarlyMax.length != layers.size()) { // a new model under this worker: start over
                layerEarlyMax = new double[layers.size()];
                layerSqrtSize = new double[layers.size()];
                for (int i = 0; i < layers.size(); i++) {
                    long size = 0;
                    for (var p : layers.get(i).params().values()) {
                        size += p.size();
                    }
                    layerSqrtSize[i] = Math.sqrt(size);
                }
                early = 0;
                earlyMax = 0;
            }
            double g = s.globalGradientNorm();
            trackLoss(s.score());
            List<GradientAlert> out = null;

            if (!Double.isFinite(g)) {
                if (growthRun > 0) { // it grew, then turned NaN/Inf: confirmed
                    out = SnapshotAlerts.add(out, SnapshotAlerts.of(AlertType.EXPLODING, Severity.CRITICAL, s, GradientAlert.MODEL,
                            null, g, growthFactor * earlyMax, "global gradient norm turned " + g + " after growing to "
                                    + Text.num(previousGlobal) + ", " + Text.num(previousGlobal / earlyMax)
                                    + " times the run's early scale " + Text.num(earlyMax)
                                    + ": training is diverging", Hints.EXPLODING));
                }
                growthRun = 0;
                rises = 0;
                growthAnchor.clear();
                return SnapshotAlerts.orEmpty(out);
            }

            GradientAlert growth = null;
            // the run's scale: the largest norms of its first snapshots
            if (early < scaleWindow) {
                if (g > 0) {
                    earlyMax = Math.max(earlyMax, g);
                    for (int i = 0; i < layers.size(); i++) {
                        double n = layers.get(i).gradientNorm();
                        if (Double.isFinite(n)) {
                            layerEarlyMax[i] = Math.max(layerEarlyMax[i], n);
                        }
                    }
                    early++;
                    earlyLoss = lossAverage;
                }
            } else if (g > growthFactor * earlyMax) {
                if (growthRun == 0) {
                    onsetLoss = lossAverage;
                }
                growthRun++;
                rises = g > previousGlobal ? rises + 1 : 0;
                growth = growth(s, g);
            } else {
                growthRun = 0;
                rises = 0;
                growthAnchor.clear();
                if (global.count() >= warmup) {
                    double z = global.z(g);
                    if (z > zThreshold) {
                        out = SnapshotAlerts.add(out, SnapshotAlerts.of(AlertType.EXPLODING, Severity.INFO, s, GradientAlert.MODEL,
                                null, z, zThreshold, "gradient spike on one batch: global gradient norm " + Text.num(g)
                                        + ", " + Text.num(g / global.baseline()) + " times its moving baseline "
                                        + Text.num(global.baseline()) + " (z-score of log norm " + Text.num(z) + " > "
                                        + Text.num(zThreshold) + "), still below " + Text.num(growthFactor)
                                        + " times the run's early scale " + Text.num(earlyMax)
                                        + "; harmless unless it repeats or grows", Hints.EXPLODING_SPIKE));
                    }
                }
            }
            global.add(g, global.count() >= warmup, zThreshold);
            previousGlobal = g;

            // one explosion, one alert: growth and size describe the same one; the more serious verdict is kept
            GradientAlert size = size(s);
            GradientAlert explosion = growth == null ? size : size == null ? growth
                    : size.severity().compareTo(growth.severity()) > 0 ? size : growth;
            if (explosion != null) {
                out = SnapshotAlerts.add(out, explosion);
            }
            GradientAlert ceiling = ceiling(s, g);
            if (ceiling != null) {
                out = SnapshotAlerts.add(out, ceiling);
            }
            GradientAlert ratio = layerRatio(s);
            if (ratio != null) {
                out = SnapshotAlerts.add(out, ratio);
            }
            return SnapshotAlerts.orEmpty(out);
        }

        private void trackLoss(double score) {
            if (!Double.isFinite(score)) {
                return;
            }
            lossAverage = Double.isNaN(lossAverage) ? score : LOSS_ALPHA * lossAverage + (1 - LOSS_ALPHA) * score;
            lossLowest = Double.isNaN(lossLowest) ? lossAverage : Math.min(lossLowest, lossAverage);
        }

        private boolean lossRising() {
            return lossLowest > 0 && lossAverage > lossFactor * lossLowest && lossGaveBack();
        }

        /** The loss gave back more than {@link #GIVEN_BACK} of its fall from the warm-up level to its lowest. */
        private boolean lossGaveBack() {
            double learned = Math.max(0, earlyLoss - lossLowest);
            return !(lossAverage - lossLowest <= GIVEN_BACK * learned);
        }

        private GradientAlert growth(GradientSnapshot s, double g) {
            List<LayerGradientStats> layers = s.layers();
            List<String> grown = new ArrayList<>();
            for (int i = 0; i < layers.size(); i++) {
                double n = layers.get(i).gradientNorm();
                if (layerEarlyMax[i] > 0 && n > growthFactor * layerEarlyMax[i]) {
                    grown.add(layers.get(i).name());
                }
            }
            boolean byLoss = lossRising();
            boolean lossAtBest = !(lossLowest > 0) || lossAverage <= Math.sqrt(lossFactor) * lossLowest;
            // a net leaving its flat start (VGG16 from scratch, an LSTM) grows its raw gradient while its loss falls
            // well below where it was when the scale was taken: that is learning, unless the loss rises for real
            boolean learnedSinceScale = lossAverage < LEARNED_FRACTION * earlyLoss;
            boolean sustained = rises >= confirmSnapshots && !lossAtBest && !(lossAverage < onsetLoss)
                    && lossGaveBack();
            Severity severity = byLoss || sustained ? Severity.CRITICAL
                    : lossAtBest || learnedSinceScale ? Severity.INFO : Severity.WARNING;
            String why = byLoss ? "the loss rose with it (moving average " + Text.num(lossAverage) + ", "
                    + Text.num(lossAverage / lossLowest) + " times its lowest): training is diverging"
                    : sustained ? "it rose on " + rises + " snapshots in a row while the loss did not fall: "
                    + "training is diverging"
                    : lossAtBest ? "the loss is still near its best (moving average " + Text.num(lossAverage)
                    + "): a net that learns can grow its raw gradient; watch the loss"
                    : learnedSinceScale ? "the loss (moving average " + Text.num(lossAverage) + ") is well below "
                    + "its level when the scale was taken (" + Text.num(earlyLoss) + "): a net that learns can grow "
                    + "its raw gradient; watch the loss"
                    : "the loss is off its best (moving average " + Text.num(lossAverage) + ", "
                    + Text.num(lossAverage / lossLowest) + " times its lowest); not yet confirmed";
            String anchor = grown.isEmpty() ? GradientAlert.MODEL : growthAnchor.pick(grown);
            return SnapshotAlerts.grouped(AlertType.EXPLODING, severity, s, anchor, grown, null, g, growthFactor * earlyMax,
                    "global gradient norm is " + Text.num(g) + ", " + Text.num(g / earlyMax) + " times the run's "
                            + "early scale " + Text.num(earlyMax) + " (limit " + Text.num(growthFactor) + "x)"
                            + (grown.isEmpty() ? "" : "; grew in " + SnapshotAlerts.count(grown)) + "; " + why,
                    Hints.EXPLODING);
        }

        private GradientAlert size(GradientSnapshot s) {
            if (Double.isInfinite(maxRms)) {
                return null;
            }
            List<LayerGradientStats> layers = s.layers();
            int first = -1;
            for (int i = 0; i < layers.size() && first < 0; i++) {
                if (layers.get(i).gradientNorm() > maxRms * layerSqrtSize[i]) {
                    first = i;
                }
            }
            if (first < 0) {
                sizeAnchor.clear();
                return null;
            }
            List<String> over = new ArrayList<>();
            for (int i = first; i < layers.size(); i++) {
                if (layers.get(i).gradientNorm() > maxRms * layerSqrtSize[i]) {
                    over.add(layers.get(i).name());
                }
            }
            LayerGradientStats l = layers.get(first);
            double rms = l.gradientNorm() / layerSqrtSize[first];
            boolean byLoss = lossRising();
            return SnapshotAlerts.grouped(AlertType.EXPLODING, byLoss ? Severity.CRITICAL : Severity.WARNING, s,
                    sizeAnchor.pick(over), over, null, rms, maxRms, "gradient entries of " + Text.layer(l)
                            + " average " + Text.num(rms) + " in magnitude (root mean square; norm "
                            + Text.num(l.gradientNorm()) + "), above " + Text.num(maxRms) + ", a scale no healthy "
                            + "model reaches; over it: " + SnapshotAlerts.count(over) + (byLoss ? "; the loss rose with it: "
                            + "training is diverging" : ""), Hints.EXPLODING);
        }

        private GradientAlert ceiling(GradientSnapshot s, double g) {
            if (Double.isInfinite(maxNorm)) {
                return null;
            }
            List<String> over = null;
            double first = Double.NaN;
            for (LayerGradientStats l : s.layers()) {
                if (l.gradientNorm() > maxNorm) {
                    over = over == null ? new ArrayList<>() : over;
                    over.add(l.name());
                    first = Double.isNaN(first) ? l.gradientNorm() : first;
                }
            }
            if (over != null) {
                return SnapshotAlerts.grouped(AlertType.EXPLODING, Severity.WARNING, s, over.get(0), over, null, first,
                        maxNorm, "gradient norm above the ceiling " + Text.num(maxNorm) + " in " + SnapshotAlerts.count(over)
                                + " (first: " + Text.num(first) + ")", Hints.EXPLODING);
            }
            if (g > maxNorm) {
                return SnapshotAlerts.of(AlertType.EXPLODING, Severity.WARNING, s, GradientAlert.MODEL, null, g, maxNorm,
                        "global gradient norm is " + Text.num(g) + ", above the ceiling " + Text.num(maxNorm),
                        Hints.EXPLODING);
            }
            return null;
        }

        /** AutoTrainer's first/last ratio, per path: each input-side layer against the output-side layers it feeds. */
        private GradientAlert layerRatio(GradientSnapshot s) {
            List<LayerGradientStats> layers = s.layers();
            LayerGraph graph = s.graph();
            int exceeding = -1;
            int count = 0;
            for (int k = 0; k < graph.inputSideCount(); k++) {
                int i = graph.inputSide(k);
                double ratio = layers.get(i).gradientNorm() / OutputReference.norm(s, i);
                if (Double.isFinite(ratio) && ratio > maxLayerRatio) {
                    exceeding = exceeding < 0 ? i : exceeding;
                    count++;
                }
            }
            if (count == 0) {
                ratioRun = 0;
                ratioAnchor.clear();
                return null;
            }
            if (++ratioRun < ratioPatience) {
                return null;
            }
            List<String> names = new ArrayList<>(count);
            for (int k = 0; k < graph.inputSideCount(); k++) {
                int i = graph.inputSide(k);
                double ratio = layers.get(i).gradientNorm() / OutputReference.norm(s, i);
                if (Double.isFinite(ratio) && ratio > maxLayerRatio) {
                    names.add(layers.get(i).name());
                }
            }
            String anchor = ratioAnchor.pick(names);
            LayerGradientStats first = s.layer(anchor).orElse(layers.get(exceeding));
            int firstIndex = layers.indexOf(first);
            double reference = OutputReference.norm(s, firstIndex);
            LayerGradientStats out = layers.get(OutputReference.layer(s, firstIndex));
            double ratio = first.gradientNorm() / reference;
            return SnapshotAlerts.grouped(AlertType.EXPLODING, Severity.WARNING, s, anchor, names, null, ratio, maxLayerRatio,
                    "gradient norm of " + Text.layer(first) + " is " + Text.num(ratio) + " times that of "
                            + Text.layer(out) + " (" + Text.num(first.gradientNorm()) + " vs "
                            + Text.num(reference) + "), above " + Text.num(maxLayerRatio) + " for " + ratioRun
                            + " snapshots" + (names.size() > 1 ? "; input-side " + SnapshotAlerts.count(names) : ""),
                    Hints.EXPLODING_RATIO);
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
            this.maxRms = Checks.positive("maxRms", maxRms);
            return this;
        }

        /**
         * Absolute ceiling for any gradient norm, batch-averaged units. Default {@code Double.POSITIVE_INFINITY}
         * (off): only set it when you know your model's range.
         */
        public Builder maxNorm(double maxNorm) {
            this.maxNorm = Checks.positive("maxNorm", maxNorm);
            return this;
        }

        /** z-score of log(norm) above which a norm spikes (INFO). Default 5. */
        public Builder zThreshold(double zThreshold) {
            this.zThreshold = Checks.positive("zThreshold", zThreshold);
            return this;
        }

        /** Snapshots observed before spikes are judged. Default 25. */
        public Builder warmup(int warmup) {
            this.warmup = Checks.atLeast("warmup", warmup, 1);
            return this;
        }

        /** Smoothing of the moving mean and variance, in (0, 1); closer to 1 remembers longer. Default 0.97. */
        public Builder alpha(double alpha) {
            this.alpha = Checks.openUnit("alpha", alpha);
            return this;
        }

        /** Times the run's early scale the global norm may reach before an alert; > 1. Default 10. */
        public Builder growthFactor(double growthFactor) {
            this.growthFactor = Checks.greaterThan("growthFactor", growthFactor, 1);
            return this;
        }

        /** First snapshots whose largest norm is the run's scale; >= 2. Default 10. */
        public Builder scaleWindow(int scaleWindow) {
            this.scaleWindow = Checks.atLeast("scaleWindow", scaleWindow, 2);
            return this;
        }

        /** Consecutive rising snapshots above the growth bar that make it CRITICAL. Default 3. */
        public Builder confirmSnapshots(int confirmSnapshots) {
            this.confirmSnapshots = Checks.atLeast("confirmSnapshots", confirmSnapshots, 1);
            return this;
        }

        /** Moving-average loss above this many times its lowest makes growth CRITICAL; > 1. Default 2. */
        public Builder lossFactor(double lossFactor) {
            this.lossFactor = Checks.greaterThan("lossFactor", lossFactor, 1);
            return this;
        }

        /** Input-side/output-side layer gradient-norm ratio above which layers explode; > 1. Default 70. */
        public Builder maxLayerRatio(double maxLayerRatio) {
            this.maxLayerRatio = Checks.greaterThan("maxLayerRatio", maxLayerRatio, 1);
            return this;
        }

        /** Consecutive snapshots the layer ratio must stay high. Default 5. */
        public Builder ratioPatience(int ratioPatience) {
            this.ratioPatience = Checks.atLeast("ratioPatience", ratioPatience, 1);
            return this;
        }

        public ExplodingDetector build() {
            return new ExplodingDetector(maxNorm, zThreshold, warmup, alpha, growthFactor, scaleWindow,
                    confirmSnapshots, lossFactor, maxLayerRatio, ratioPatience, maxRms);
        }
    }
}
