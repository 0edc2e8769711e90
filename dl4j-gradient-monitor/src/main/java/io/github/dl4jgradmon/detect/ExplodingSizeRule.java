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
 * <b>size</b>: from the first snapshot on, a layer whose gradient entries average more than {@code maxRms} in
 * magnitude (root mean square); WARNING, CRITICAL once the loss rises with it. Off when {@code maxRms} is infinite.
 * See {@link ExplodingDetector}.
 */
final class ExplodingSizeRule extends ExplodingRule {

    private final SnapshotAlerts.Anchor anchor = new SnapshotAlerts.Anchor();

    ExplodingSizeRule(ExplodingDetector settings) {
        super("size", settings);
    }

    @Override
    GradientAlert judge(GradientSnapshot s, ExplodingRun run) {
        double maxRms = settings.maxRms();
        if (Double.isInfinite(maxRms)) {
            return null;
        }
        List<LayerGradientStats> layers = s.layers();
        int first = -1;
        for (int i = 0; i < layers.size() && first < 0; i++) {
            if (layers.get(i).gradientNorm() > maxRms * run.layerSqrtSize(i)) {
                first = i;
            }
        }
        if (first < 0) {
            anchor.clear();
            return null;
        }
        List<String> over = new ArrayList<>();
        for (int i = first; i < layers.size(); i++) {
            if (layers.get(i).gradientNorm() > maxRms * run.layerSqrtSize(i)) {
                over.add(layers.get(i).name());
            }
        }
        LayerGradientStats l = layers.get(first);
        double rms = l.gradientNorm() / run.layerSqrtSize(first);
        boolean byLoss = run.lossRising();
        return SnapshotAlerts.grouped(AlertType.EXPLODING, byLoss ? Severity.CRITICAL : Severity.WARNING, s,
                anchor.pick(over), over, null, rms, maxRms, named("gradient entries of " + Text.layer(l)
                        + " average " + Text.num(rms) + " in magnitude (root mean square; norm "
                        + Text.num(l.gradientNorm()) + "), above " + Text.num(maxRms) + ", a scale no healthy "
                        + "model reaches; over it: " + SnapshotAlerts.count(over) + (byLoss ? "; the loss rose with "
                        + "it: training is diverging" : "")), Hints.EXPLODING);
    }
}
