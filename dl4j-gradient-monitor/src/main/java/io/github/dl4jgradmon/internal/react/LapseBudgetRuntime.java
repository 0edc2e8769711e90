package io.github.dl4jgradmon.internal.react;

import io.github.dl4jgradmon.StepBudget;
import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.GradientAlertException;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.internal.alert.AlertDelivery;

import java.util.Optional;

/**
 * The policy when protection the user asked for (clipping, step skipping) could not run for a step because of a
 * failure inside the monitor. Every lapse raises a CRITICAL {@link AlertType#PROTECTION_LAPSED} alert (logged at
 * ERROR, rate-limited, and passed to every handler) that says what became of the step: applied unprotected, checked
 * by the fallback and applied, or skipped. Beyond the {@link StepBudget} the alert says so, is logged at ERROR whatever the rate limit, and training stops
 * with a {@link GradientAlertException}, as the skip budget does.
 */
public final class LapseBudgetRuntime {

    private final StepBudget budget;
    private final String what;
    private final WindowedCount lapses;

    /**
     * @param budget unprotected steps allowed before training stops
     * @param what   the protection that can lapse, e.g. {@code "clipping (globalNorm)"}
     */
    public LapseBudgetRuntime(StepBudget budget, String what) {
        this.budget = budget;
        this.what = what;
        this.lapses = new WindowedCount(budget.windowIterations());
    }

    /** The protection that can lapse, as messages name it. */
    public String what() {
        return what;
    }

    /** A protected step ran as configured. */
    public void protectedStep() {
        lapses.breakRun();
    }

    /**
     * A protected step could not be protected as configured.
     *
     * @param cause   the failure (already logged with its stack trace)
     * @param outcome what became of the step, e.g. {@code "this step was applied unprotected"}
     * @param alerts  delivers the alert (history, log, handlers)
     * @throws GradientAlertException when the budget is spent, or when a handler asks to stop
     */
    public void lapse(String workerId, long iteration, Throwable cause, String outcome, AlertDelivery alerts) {
        lapses.add(iteration);
        boolean spent = lapses.exceeds(budget);
        String why = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        GradientAlert alert = new GradientAlert(AlertType.PROTECTION_LAPSED, Severity.CRITICAL, workerId, iteration,
                GradientAlert.MODEL, Optional.empty(), lapses.consecutive(), budget.maxConsecutive(),
                "protection lapsed: " + what + " could not run (" + why + "); " + outcome + "; "
                        + lapses.consecutive() + " in a row, " + lapses.inWindow() + " in the last "
                        + budget.windowIterations() + " iterations"
                        + (spent ? "; lapse budget (" + budget.describe() + ") exceeded, stopping training"
                        : ""),
                "a failure inside the monitor or a clipping strategy: please report it with the stack trace logged "
                        + "by io.github.dl4jgradmon.GradientMonitor; GradientMonitor.builder().lapseBudget(...) sets "
                        + "how many unprotected steps are allowed");
        if (spent) {
            alerts.deliverStop(alert);
        }
        alerts.deliver(alert);
    }
}
