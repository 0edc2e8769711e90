package io.github.dl4jgradmon.internal.react;

import io.github.dl4jgradmon.StepBudget;
import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.internal.alert.AlertDelivery;
import io.github.dl4jgradmon.internal.model.ModelAdapter;
import io.github.dl4jgradmon.internal.util.Text;
import io.github.dl4jgradmon.stats.Reaction;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;
import java.util.Optional;

/**
 * Skips a poisoned step (NaN/Inf in the gradient or the score): before the update it copies the parameters and the
 * updater state and zeroes the gradient (so the updater's arithmetic stays finite); at {@code iterationDone} of the
 * same step it assigns both back, bit-identical, and only then raises {@code STEP_SKIPPED}. Copies and writes are
 * ND4J operations, correct on every backend.
 *
 * <p>Fail closed: when the monitor's statistics or reactions fail on a step, {@link #failClosed} checks it the
 * cheapest way that does not depend on them ({@link FallbackCheck}: the score, and the gradient's NaN/Inf count) and
 * skips it when it is poisoned or cannot be checked. When even the skip cannot be prepared, training stops before the
 * step is applied. A restore that fails at {@code iterationDone} throws {@link RestoreFailedException}, which says
 * what the parameters now hold; the monitor treats it as a protection lapse.
 *
 * <p>The copies never outlive their step: they carry the step's token and iteration, are restored only at that
 * step's {@code iterationDone}, and are dropped when the next step begins (or when the step is aborted by a stop),
 * so a step that never completes cannot write stale values over parameters the user restored since.
 *
 * <p>Skip budget: more skipped steps than the {@link StepBudget} allows raises a CRITICAL {@code NON_FINITE} alert (logged at ERROR whatever the rate limit,
 * passed to every handler) and stops training with a
 * {@link io.github.dl4jgradmon.alert.GradientAlertException}.
 */
public final class StepSkippingRuntime implements ReactionRuntime {

    private final StepBudget budget;
    private final String method;
    private final AlertDelivery alerts;
    /** The token of the last step counted as skipped, so a step is counted once. */
    private long counted = -1;
    private final WindowedCount skips;
    private Saved saved;

    /** What a skipped step keeps until its {@code iterationDone}, and why it was skipped. */
    private record Saved(long token, int iteration, int epoch, INDArray params, INDArray updaterState,
                         String reason) {
    }

    /**
     * @param budget skipped steps allowed before training stops
     * @param method the clipping strategy's name for the snapshot's reaction, empty when none
     * @param alerts delivers the skip and budget alerts
     */
    public StepSkippingRuntime(StepBudget budget, String method, AlertDelivery alerts) {
        this.budget = budget;
        this.method = method;
        this.alerts = alerts;
        this.skips = new WindowedCount(budget.windowIterations());
    }

    @Override
    public void discard() {
        saved = null;
    }

    @Override
    public void beforeUpdate(Step step) {
        saved = null;
        if (!step.poisoned()) {
            skips.breakRun();
            return;
        }
        countSkip(step.workerId(), step.token(), step.iteration());
        step.markSkipped();
        step.reaction(new Reaction(method, Double.NaN, step.globalNorm(), 0, Map.of(), true));
        saved = save(step.adapter(), step.token(), step.iteration(), step.epoch(),
                "NaN/Inf in the gradient or score " + Text.num(step.score()));
    }

    /**
     * The monitor failed on this step before it was checked or skipped as configured: checks it with
     * {@link FallbackCheck} and skips it unless it is proven finite.
     *
     * @param token the step's token: a skip already prepared for it by {@link #beforeUpdate} stands
     * @return what became of the step, for the lapse alert
     * @throws io.github.dl4jgradmon.alert.GradientAlertException when the skip budget is spent, or when the skip
     *                                                             cannot be prepared: the step is then not applied
     */
    public String failClosed(ModelAdapter adapter, String workerId, long token, int iteration, int epoch) {
        if (saved != null && saved.token() == token) {
            return "the step had been found poisoned and is skipped";
        }
        saved = null;
        String reason;
        try {
            FallbackCheck.Verdict v = FallbackCheck.check(adapter);
            if (v.finite()) {
                skips.breakRun();
                return "the fallback check found score and gradient finite, so this step was applied without the "
                        + "protection that could not run";
            }
            reason = "found by the fallback check: " + v.what();
        } catch (RuntimeException | LinkageError unchecked) {
            reason = "not checked, the fallback check failed too (" + unchecked + ")";
        }
        countSkip(workerId, token, iteration);
        try {
            saved = save(adapter, token, iteration, epoch, reason);
        } catch (RuntimeException | LinkageError cannotSkip) {
            saved = null;
            alerts.deliverStop(new GradientAlert(AlertType.PROTECTION_LAPSED, Severity.CRITICAL, workerId,
                    iteration, GradientAlert.MODEL, Optional.empty(), skips.consecutive(), budget.maxConsecutive(),
                    "step skipping could not check this step nor skip it (" + cannotSkip + "); stopping training "
                            + "before the step is applied",
                    "a failure inside the monitor: please report it with the stack trace logged by "
                            + "io.github.dl4jgradmon.GradientMonitor; the model holds the parameters of the last "
                            + "step before this one"));
        }
        return "step skipping could not check it as configured, so it is skipped (" + reason + ")";
    }

    @Override
    public void afterUpdate(Step step) {
        finish(step.workerId(), step.token(), step.iteration(), step.epoch(), step.adapter());
    }

    /**
     * At {@code iterationDone}: restores the parameters and updater state saved for this step, then raises
     * {@code STEP_SKIPPED}. Nothing happens when nothing was saved for this very step.
     *
     * @throws RestoreFailedException when the restore fails: the parameters then keep the zero-gradient step
     */
    public void finish(String workerId, long token, int iteration, int epoch, ModelAdapter adapter) {
        Saved s = saved;
        saved = null;
        if (s == null || s.token() != token || s.iteration() != iteration || s.epoch() != epoch) {
            return;
        }
        try {
            adapter.params().assign(s.params());
        } catch (RuntimeException | LinkageError e) {
            throw new RestoreFailedException("a poisoned step was skipped (" + s.reason() + ") but restoring its "
                    + "parameters failed: its gradient had been zeroed, so the NaN/Inf was not applied, but the "
                    + "zero-gradient step was (momentum and weight decay moved the parameters)", e);
        }
        try {
            INDArray state = adapter.updaterState();
            if (state != null && s.updaterState() != null) {
                state.assign(s.updaterState());
            }
        } catch (RuntimeException | LinkageError e) {
            throw new RestoreFailedException("a poisoned step was skipped (" + s.reason() + "); its parameters "
                    + "were restored but restoring the updater state failed: the state keeps the zero-gradient "
                    + "step (moments decayed, step count advanced)", e);
        }
        alerts.deliver(new GradientAlert(AlertType.STEP_SKIPPED, Severity.WARNING, workerId, iteration,
                GradientAlert.MODEL, Optional.empty(), skips.consecutive(), budget.maxConsecutive(),
                "poisoned step skipped (" + s.reason() + "): parameters and updater state restored; "
                        + skips.consecutive() + " in a row",
                "training goes on with the next batch; if this repeats, check the data for NaN and lower the "
                        + "learning rate"));
    }

    /** One more skipped step; stops training when the skip budget is spent. */
    private void countSkip(String workerId, long token, int iteration) {
        if (counted == token) {
            return;
        }
        counted = token;
        long it = iteration;
        skips.add(it);
        if (skips.exceeds(budget)) {
            alerts.deliverStop(new GradientAlert(AlertType.NON_FINITE, Severity.CRITICAL, workerId, it,
                    GradientAlert.MODEL, Optional.empty(), skips.consecutive(), budget.maxConsecutive(),
                    "poisoned steps keep coming: " + skips.consecutive() + " skipped in a row, "
                            + skips.inWindow() + " in the last " + budget.windowIterations()
                            + " iterations; skip budget (" + budget.describe() + ") exceeded, stopping training",
                    "find the source of the NaN/Inf: check the input data and labels for NaN, lower the learning "
                            + "rate (.updater(new Adam(1e-4))), add .gradientNormalization(GradientNormalization"
                            + ".ClipL2PerLayer), or use .clipping(GradientClipping.globalNorm(1.0))"));
        }
    }

    /** Copies parameters and updater state, then zeroes the gradient so the updater's arithmetic stays finite. */
    private static Saved save(ModelAdapter adapter, long token, int iteration, int epoch, String reason) {
        INDArray state = adapter.updaterState();
        Saved s = new Saved(token, iteration, epoch, adapter.params().dup(), state == null ? null : state.dup(),
                reason);
        adapter.gradients().assign(0);
        return s;
    }
}
