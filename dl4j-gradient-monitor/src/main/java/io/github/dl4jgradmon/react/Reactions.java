package io.github.dl4jgradmon.react;

import io.github.dl4jgradmon.alert.GradientAlert;

import java.util.List;

/**
 * The reactions of one model, in the order they run (step skipping before clipping, so a poisoned step is never
 * clipped; back-off after detection), plus the policy for when protection lapses.
 */
public final class Reactions {

    private final StepReaction[] reactions;
    private final boolean protects;
    private final ProtectionLapses lapses;

    /**
     * @param protects whether any reaction protects the step before the update (clipping, skipping): only then does
     *                 every iteration need the statistics pass, and only then is a failure a lapse
     */
    public Reactions(List<StepReaction> reactions, boolean protects, ProtectionLapses lapses) {
        this.reactions = reactions.toArray(new StepReaction[0]);
        this.protects = protects;
        this.lapses = lapses;
    }

    public boolean protects() {
        return protects;
    }

    public ProtectionLapses lapses() {
        return lapses;
    }

    public void discard() {
        for (StepReaction r : reactions) {
            r.discard();
        }
    }

    public void beforeUpdate(Step step) {
        for (StepReaction r : reactions) {
            r.beforeUpdate(step);
        }
        lapses.protectedStep();
    }

    public void afterUpdate(Step step) {
        for (StepReaction r : reactions) {
            r.afterUpdate(step);
        }
    }

    public void afterDetection(Step step, List<GradientAlert> raised) {
        for (StepReaction r : reactions) {
            r.afterDetection(step, raised);
        }
    }
}
