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
 * <b>ceiling</b> (WARNING): a layer's gradient norm above the absolute {@code maxNorm}, or else the global norm above
 * it. Off by default ({@code maxNorm} infinite). See {@link ExplodingDetector}.
 */
final class ExplodingCeilingRule extends ExplodingRule {

    ExplodingCeilingRule(ExplodingDetector settings) {
        super("ceiling", settings);
    }

    @Override
    GradientAlert judge(GradientSnapshot s, ExplodingRun run) {
        double maxNorm = settings.maxNorm();
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
                    maxNorm, named("gradient norm above the ceiling " + Text.num(maxNorm) + " in "
                            + SnapshotAlerts.count(over) + " (first: " + Text.num(first) + ")"), Hints.EXPLODING);
        }
        double g = s.globalGradientNorm();
        if (g > maxNorm) {
            return SnapshotAlerts.of(AlertType.EXPLODING, Severity.WARNING, s, GradientAlert.MODEL, null, g, maxNorm,
                    named("global gradient norm is " + Text.num(g) + ", above the ceiling " + Text.num(maxNorm)),
                    Hints.EXPLODING);
        }
        return null;
    }
}
