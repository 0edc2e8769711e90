package io.github.dl4jgradmon.internal.react;

import io.github.dl4jgradmon.alert.GradientAlert;

import java.util.List;

/**
 * One reaction of the monitor to a training step: clipping, skipping a poisoned step, learning-rate back-off. Each
 * implementation keeps the state of one model (one ParallelWrapper worker) and is called on that model's training
 * thread only, in the order DL4J runs the step.
 *
 * <pre>{@code
 * final class LogBigSteps implements ReactionRuntime {
 *     public void beforeUpdate(Step step) {
 *         if (step.score() > 100) {
 *             System.out.println("large loss at iteration " + step.iteration());
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>Internal: the monitor builds its reactions from the builder options; this interface is public only so the
 * monitor in the package above can hold them.
 */
public interface ReactionRuntime {

    /** At {@code onGradientCalculation}, after the statistics pass, before DL4J's updater reads the gradient. */
    default void beforeUpdate(Step step) {
    }

    /** At {@code iterationDone} of the same step (same token): DL4J has applied the update. */
    default void afterUpdate(Step step) {
    }

    /** After the detectors saw the step's snapshot, with every alert they raised (repeats included). */
    default void afterDetection(Step step, List<GradientAlert> raised) {
    }

    /**
     * Drops anything held for an earlier step. Called when a new step's gradient arrives, so nothing outlives the
     * step it was taken for, even when that step never reached {@code iterationDone}.
     */
    default void discard() {
    }
}
