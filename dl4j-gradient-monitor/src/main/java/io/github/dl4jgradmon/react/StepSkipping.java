package io.github.dl4jgradmon.react;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.GradientAlertException;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.stats.Reaction;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;

/**
 * Skips a poisoned step (NaN/Inf in the gradient or the score): before the update it copies the parameters and the
 * updater state and zeroes the gradient (so the updater's arithmetic stays finite); at {@code iterationDone} of the
 * same step it assigns both back, bit-identical. Copies and writes are ND4J operations, correct on every backend.
 *
 * <p>The copies never outlive their step: they carry the step's token and iteration, are restored only at that
 * step's {@code iterationDone}, and are dropped when the next step begins (or when the step is aborted by a stop),
 * so a step that never completes cannot write stale values over parameters the user restored since.
 *
 * <p>Skip budget: more than {@code maxConsecutive} skipped steps in a row, or more than {@code maxInWindow} within
 * {@code windowIterations}, raises a CRITICAL {@code NON_FINITE} alert (delivered like any other) and stops training
 * with a {@link GradientAlertException}.
 */
public final class StepSkipping implements StepReaction {

    private final int maxConsecutive;
    private final int maxInWindow;
    private final int windowIterations;
    private final String budgetText;
    private final String method;
    private int consecutive;
    private final ArrayDeque<Long> skips = new ArrayDeque<>();
    private Saved saved;

    private record Saved(long token, int iteration, int epoch, INDArray params, INDArray updaterState) {
    }

    /**
     * @param budgetText how the budget is shown in messages
     * @param method     the clipping strategy's name for the snapshot's reaction, empty when none
     */
    public StepSkipping(int maxConsecutive, int maxInWindow, int windowIterations, String budgetText, String method) {
        this.maxConsecutive = maxConsecutive;
        this.maxInWindow = maxInWindow;
        this.windowIterations = windowIterations;
        this.budgetText = budgetText;
        this.method = method;
    }

    @Override
    public void discard() {
        saved = null;
    }

    @Override
    public void beforeUpdate(Step step) {
        saved = null;
        if (!step.poisoned()) {
            consecutive = 0;
            return;
        }
        long it = step.iteration();
        consecutive++;
        skips.addLast(it);
        while (!skips.isEmpty() && skips.peekFirst() <= it - windowIterations) {
            skips.removeFirst();
        }
        step.markSkipped();
        step.reaction(new Reaction(method, Double.NaN, step.globalNorm(), 0, Map.of(), true));
        if (consecutive > maxConsecutive || skips.size() > maxInWindow) {
            GradientAlert stop = new GradientAlert(AlertType.NON_FINITE, Severity.CRITICAL, step.workerId(), it,
                    GradientAlert.MODEL, Optional.empty(), consecutive, maxConsecutive,
                    "poisoned steps keep coming: " + consecutive + " skipped in a row, " + skips.size()
                            + " in the last " + windowIterations + " iterations; skip budget " + budgetText
                            + " exceeded, stopping training",
                    "find the source of the NaN/Inf: check the input data and labels for NaN, lower the learning "
                            + "rate (.updater(new Adam(1e-4))), add .gradientNormalization(GradientNormalization"
                            + ".ClipL2PerLayer), or use .clipping(GradientClipping.globalNorm(1.0))");
            try {
                step.raise(stop);
            } catch (GradientAlertException handlerStop) {
                // a handler asked to stop on it too: the budget's own stop follows
            }
            throw new GradientAlertException(stop);
        }
        INDArray state = step.adapter().updaterState();
        saved = new Saved(step.token(), step.iteration(), step.epoch(), step.adapter().params().dup(),
                state == null ? null : state.dup());
        step.segments().zero();
        GradientAlert alert = new GradientAlert(AlertType.STEP_SKIPPED, Severity.WARNING, step.workerId(), it,
                GradientAlert.MODEL, Optional.empty(), consecutive, maxConsecutive,
                "poisoned step skipped (NaN/Inf in the gradient or score " + step.score()
                        + "): parameters and updater state restored; " + consecutive + " in a row",
                "training goes on with the next batch; if this repeats, check the data for NaN and lower the "
                        + "learning rate");
        try {
            step.raise(alert);
        } catch (GradientAlertException stop) {
            saved = null; // the step is aborted: DL4J will not apply it, nothing to restore
            throw stop;
        }
    }

    @Override
    public void afterUpdate(Step step) {
        Saved s = saved;
        saved = null;
        if (s == null || s.token() != step.token() || s.iteration() != step.iteration()
                || s.epoch() != step.epoch()) {
            return;
        }
        step.adapter().params().assign(s.params());
        INDArray state = step.adapter().updaterState();
        if (state != null && s.updaterState() != null) {
            state.assign(s.updaterState());
        }
    }
}
