package io.github.dl4jgradmon.internal.react;

import io.github.dl4jgradmon.clip.ClipTarget;
import io.github.dl4jgradmon.clip.GradientClipping;
import io.github.dl4jgradmon.stats.Reaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Applies a {@link GradientClipping} strategy to the raw gradient before DL4J's updater reads it. All or nothing:
 * the strategy plans on a {@link ClipTarget}; only once it returned are its operations applied, so a strategy that
 * fails leaves the gradient as it was. Steps that are poisoned or skipped are left alone.
 */
public final class GradientClippingRuntime implements ReactionRuntime {

    private static final Logger log = LoggerFactory.getLogger(GradientClippingRuntime.class);

    private final GradientClipping clipping;
    private GradientClipping.Session session;
    private boolean configurationChecked;

    public GradientClippingRuntime(GradientClipping clipping) {
        this.clipping = clipping;
    }

    @Override
    public void beforeUpdate(Step step) {
        if (step.skipped() || step.poisoned()) {
            return;
        }
        if (!configurationChecked) {
            configurationChecked = true;
            List<String> both = step.adapter().layersWithGradientNormalization();
            if (!both.isEmpty()) {
                log.warn("Layers {} also set DL4J's GradientNormalization: both apply. The monitor's {} clipping runs "
                        + "first, on the raw gradient; DL4J then divides by the minibatch and applies its own "
                        + "normalization. Remove one of them unless you want both.", both, clipping.name());
            }
        }
        if (session == null) {
            session = clipping.newSession();
        }
        ClipPlan target = new ClipPlan(step.scan(), step.segments(), step.divisor());
        double before = target.globalNorm();
        double threshold = session.apply(target);
        target.commit();
        step.reaction(new Reaction(clipping.name(), threshold, before, target.globalNorm(), target.layerFactors(),
                false));
    }
}
