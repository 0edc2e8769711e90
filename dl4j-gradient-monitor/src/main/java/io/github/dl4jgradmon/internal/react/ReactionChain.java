package io.github.dl4jgradmon.internal.react;

import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.internal.model.ModelAdapter;

import java.util.List;

/**
 * The reactions of one model, in the order they run (step skipping before clipping, so a poisoned step is never
 * clipped; back-off after detection), plus the policy for when protection lapses.
 */
public final class ReactionChain {

    private final ReactionRuntime[] reactions;
    private final boolean protects;
    private final LapseBudgetRuntime lapses;
    private final StepSkippingRuntime skipping;

    /**
     * @param protects whether any reaction protects the step before the update (clipping, skipping): only then does
     *                 every iteration need the statistics pass, and only then is a failure a lapse
     */
    public ReactionChain(List<ReactionRuntime> reactions, boolean protects, LapseBudgetRuntime lapses) {
        this.reactions = reactions.toArray(new ReactionRuntime[0]);
        this.protects = protects;
        this.lapses = lapses;
        StepSkippingRuntime found = null;
        for (ReactionRuntime r : this.reactions) {
            if (r instanceof StepSkippingRuntime s) {
                found = s;
            }
        }
        this.skipping = found;
    }

    public boolean protects() {
        return protects;
    }

    public LapseBudgetRuntime lapses() {
        return lapses;
    }

    public void discard() {
        for (ReactionRuntime r : reactions) {
            r.discard();
        }
    }

    public void beforeUpdate(Step step) {
        for (ReactionRuntime r : reactions) {
            r.beforeUpdate(step);
        }
        lapses.protectedStep();
    }

    public void afterUpdate(Step step) {
        for (ReactionRuntime r : reactions) {
            r.afterUpdate(step);
        }
    }

    /**
     * The monitor failed on this step before its reactions ran as configured. With step skipping the step is checked
     * the cheapest way and skipped unless proven finite (see {@link StepSkippingRuntime#failClosed}); without it, it goes
     * through unprotected.
     *
     * @return what became of the step, for the lapse alert
     */
    public String failClosed(ModelAdapter adapter, String workerId, long token, int iteration, int epoch) {
        if (skipping == null) {
            return "this step was applied unprotected";
        }
        return skipping.failClosed(adapter, workerId, token, iteration, epoch);
    }

    /** At {@code iterationDone} of a step {@link #failClosed} handled: restores it if it was skipped. */
    public void finishUnmeasured(String workerId, long token, int iteration, int epoch, ModelAdapter adapter) {
        if (skipping != null) {
            skipping.finish(workerId, token, iteration, epoch, adapter);
        }
    }

    public void afterDetection(Step step, List<GradientAlert> raised) {
        for (ReactionRuntime r : reactions) {
            r.afterDetection(step, raised);
        }
    }
}
