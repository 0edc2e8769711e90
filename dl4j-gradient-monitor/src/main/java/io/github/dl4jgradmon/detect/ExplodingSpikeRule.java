package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.internal.util.Text;
import io.github.dl4jgradmon.stats.GradientSnapshot;

/**
 * <b>spike</b> (INFO): once the run's scale is taken and {@code warmup} norms are seen, a global norm whose z-score
 * of log(norm) against its moving baseline ({@link LogNormBaseline}, smoothing {@code alpha}) exceeds
 * {@code zThreshold}, while still at or below the growth bar. Every finite norm enters the baseline. See
 * {@link ExplodingDetector}.
 */
final class ExplodingSpikeRule extends ExplodingRule {

    private final LogNormBaseline baseline;

    ExplodingSpikeRule(ExplodingDetector settings) {
        super("spike", settings);
        this.baseline = new LogNormBaseline(settings.alpha());
    }

    @Override
    GradientAlert judge(GradientSnapshot s, ExplodingRun run) {
        double g = s.globalGradientNorm();
        boolean warm = baseline.count() >= settings.warmup();
        GradientAlert spike = null;
        if (warm && run.scaled() && !(g > settings.growthFactor() * run.earlyMax())) {
            double z = baseline.z(g);
            if (z > settings.zThreshold()) {
                spike = spike(s, g, z, run.earlyMax());
            }
        }
        baseline.add(g, warm, settings.zThreshold());
        return spike;
    }

    private GradientAlert spike(GradientSnapshot s, double g, double z, double earlyMax) {
        double zThreshold = settings.zThreshold();
        return SnapshotAlerts.of(AlertType.EXPLODING, Severity.INFO, s, GradientAlert.MODEL, null, z, zThreshold,
                named("gradient spike on one batch: global gradient norm " + Text.num(g) + ", "
                        + Text.num(g / baseline.baseline()) + " times its moving baseline "
                        + Text.num(baseline.baseline()) + " (z-score of log norm " + Text.num(z) + " > "
                        + Text.num(zThreshold) + "), still below " + Text.num(settings.growthFactor())
                        + " times the run's early scale " + Text.num(earlyMax)
                        + "; harmless unless it repeats or grows"), Hints.EXPLODING_SPIKE);
    }
}
