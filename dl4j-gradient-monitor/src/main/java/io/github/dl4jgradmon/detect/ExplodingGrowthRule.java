package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.internal.util.Text;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;

import java.util.ArrayList;
import java.util.List;

/**
 * <b>growth</b>: once the run's scale is taken, a global norm above {@code growthFactor} times it. CRITICAL when
 * confirmed (the loss rising with it, the norm rising on {@code confirmSnapshots} snapshots while the loss does not
 * fall, or the norm turning non-finite after growing); unconfirmed, WARNING while the loss is off its best and has
 * not learned much since the scale was taken, INFO otherwise. See {@link ExplodingDetector}.
 */
final class ExplodingGrowthRule extends ExplodingRule {

    /** Unconfirmed growth is INFO once the loss average is below this fraction of its level after the warm-up. */
    static final double LEARNED_FRACTION = 0.75;

    private int growthRun;
    private int rises;
    private double onsetLoss = Double.NaN;
    private final SnapshotAlerts.Anchor anchor = new SnapshotAlerts.Anchor();

    ExplodingGrowthRule(ExplodingDetector settings) {
        super("growth", settings);
    }

    @Override
    GradientAlert judge(GradientSnapshot s, ExplodingRun run) {
        double g = s.globalGradientNorm();
        if (!Double.isFinite(g)) {
            GradientAlert turned = growthRun > 0 ? turnedNonFinite(s, g, run) : null;
            reset();
            return turned;
        }
        if (!run.scaled()) {
            return null;
        }
        if (!(g > settings.growthFactor() * run.earlyMax())) {
            reset();
            return null;
        }
        if (growthRun == 0) {
            onsetLoss = run.lossAverage();
        }
        growthRun++;
        rises = g > run.previousGlobal() ? rises + 1 : 0;
        return grown(s, g, run);
    }

    private void reset() {
        growthRun = 0;
        rises = 0;
        anchor.clear();
    }

    /** It grew, then turned NaN/Inf: confirmed. */
    private GradientAlert turnedNonFinite(GradientSnapshot s, double g, ExplodingRun run) {
        double earlyMax = run.earlyMax();
        double previous = run.previousGlobal();
        return SnapshotAlerts.of(AlertType.EXPLODING, Severity.CRITICAL, s, GradientAlert.MODEL, null, g,
                settings.growthFactor() * earlyMax, named("global gradient norm turned " + g + " after growing to "
                        + Text.num(previous) + ", " + Text.num(previous / earlyMax) + " times the run's early scale "
                        + Text.num(earlyMax) + ": training is diverging"), Hints.EXPLODING);
    }

    private GradientAlert grown(GradientSnapshot s, double g, ExplodingRun run) {
        double growthFactor = settings.growthFactor();
        double earlyMax = run.earlyMax();
        List<LayerGradientStats> layers = s.layers();
        List<String> grown = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            double n = layers.get(i).gradientNorm();
            if (run.layerEarlyMax(i) > 0 && n > growthFactor * run.layerEarlyMax(i)) {
                grown.add(layers.get(i).name());
            }
        }
        double lossAverage = run.lossAverage();
        double lossLowest = run.lossLowest();
        double earlyLoss = run.earlyLoss();
        boolean byLoss = run.lossRising();
        boolean lossAtBest = !(lossLowest > 0) || lossAverage <= Math.sqrt(settings.lossFactor()) * lossLowest;
        // a net leaving its flat start (VGG16 from scratch, an LSTM) grows its raw gradient while its loss falls
        // well below where it was when the scale was taken: that is learning, unless the loss rises for real
        boolean learnedSinceScale = lossAverage < LEARNED_FRACTION * earlyLoss;
        boolean sustained = rises >= settings.confirmSnapshots() && !lossAtBest && !(lossAverage < onsetLoss)
                && run.lossGaveBack();
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
        String filed = grown.isEmpty() ? GradientAlert.MODEL : anchor.pick(grown);
        return SnapshotAlerts.grouped(AlertType.EXPLODING, severity, s, filed, grown, null, g, growthFactor * earlyMax,
                named("global gradient norm is " + Text.num(g) + ", " + Text.num(g / earlyMax) + " times the run's "
                        + "early scale " + Text.num(earlyMax) + " (limit " + Text.num(growthFactor) + "x)"
                        + (grown.isEmpty() ? "" : "; grew in " + SnapshotAlerts.count(grown)) + "; " + why),
                Hints.EXPLODING);
    }
}
