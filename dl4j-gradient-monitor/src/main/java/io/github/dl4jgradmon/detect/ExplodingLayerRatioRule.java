package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.internal.util.Text;
import io.github.dl4jgradmon.model.LayerGraph;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;

import java.util.ArrayList;
import java.util.List;

/**
 * <b>layer-ratio</b> (WARNING): AutoTrainer's first/last ratio, per path: an input-side layer's gradient norm above
 * {@code maxLayerRatio} times the largest norm of the output-side layers it feeds ({@link OutputReference}), for
 * {@code ratioPatience} snapshots in a row. See {@link ExplodingDetector}.
 */
final class ExplodingLayerRatioRule extends ExplodingRule {

    private int ratioRun;
    private final SnapshotAlerts.Anchor anchor = new SnapshotAlerts.Anchor();

    ExplodingLayerRatioRule(ExplodingDetector settings) {
        super("layer-ratio", settings);
    }

    @Override
    GradientAlert judge(GradientSnapshot s, ExplodingRun run) {
        double maxLayerRatio = settings.maxLayerRatio();
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
            anchor.clear();
            return null;
        }
        if (++ratioRun < settings.ratioPatience()) {
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
        String filed = anchor.pick(names);
        LayerGradientStats first = s.layer(filed).orElse(layers.get(exceeding));
        int firstIndex = layers.indexOf(first);
        double reference = OutputReference.norm(s, firstIndex);
        LayerGradientStats out = layers.get(OutputReference.layer(s, firstIndex));
        double ratio = first.gradientNorm() / reference;
        return SnapshotAlerts.grouped(AlertType.EXPLODING, Severity.WARNING, s, filed, names, null, ratio,
                maxLayerRatio, named("gradient norm of " + Text.layer(first) + " is " + Text.num(ratio)
                        + " times that of " + Text.layer(out) + " (" + Text.num(first.gradientNorm()) + " vs "
                        + Text.num(reference) + "), above " + Text.num(maxLayerRatio) + " for " + ratioRun
                        + " snapshots" + (names.size() > 1 ? "; input-side " + SnapshotAlerts.count(names) : "")),
                Hints.EXPLODING_RATIO);
    }
}
