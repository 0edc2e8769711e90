package io.github.dl4jgradmon;

import io.github.dl4jgradmon.internal.util.Checks;

import java.io.Serial;
import java.io.Serializable;

/**
 * How many steps of one kind the monitor allows before it stops training with a
 * {@link io.github.dl4jgradmon.alert.GradientAlertException}: at most {@code maxConsecutive} in a row and at most
 * {@code maxInWindow} within the last {@code windowIterations} iterations. Two budgets use it: poisoned steps skipped
 * ({@code skipNonFiniteSteps}: endless skipping hides a real bug, bad data or a learning rate that always overflows),
 * and steps a configured protection could not cover ({@code lapseBudget}: a failure inside the monitor).
 *
 * <pre>{@code
 * GradientMonitor.builder()
 *         .skipNonFiniteSteps(StepBudget.of(5, 50, 1_000))
 *         .lapseBudget(StepBudget.of(0, 0, 1_000))      // stop at the first unprotected step
 *         .build();
 * }</pre>
 *
 * @param maxConsecutive   steps in a row allowed, >= 0
 * @param maxInWindow      steps allowed within {@code windowIterations}, >= 0
 * @param windowIterations the window, >= 1
 */
public record StepBudget(int maxConsecutive, int maxInWindow, int windowIterations) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Skipped poisoned steps: 5 in a row, or 50 within 1,000 iterations. */
    public static final StepBudget SKIP_DEFAULT = new StepBudget(5, 50, 1_000);

    /** Unprotected steps: 3 in a row, or 10 within 1,000 iterations. */
    public static final StepBudget LAPSE_DEFAULT = new StepBudget(3, 10, 1_000);

    public StepBudget {
        Checks.atLeast("maxConsecutive", maxConsecutive, 0);
        Checks.atLeast("maxInWindow", maxInWindow, 0);
        Checks.atLeast("windowIterations", windowIterations, 1);
    }

    public static StepBudget of(int maxConsecutive, int maxInWindow, int windowIterations) {
        return new StepBudget(maxConsecutive, maxInWindow, windowIterations);
    }

    /** Never stop: every step is counted and alerted, training goes on. */
    public static StepBudget unlimited() {
        return new StepBudget(Integer.MAX_VALUE, Integer.MAX_VALUE, 1);
    }

    /** As messages show it, e.g. {@code "5 in a row or 50 in 1000 iterations"}. */
    public String describe() {
        if (maxConsecutive == Integer.MAX_VALUE && maxInWindow == Integer.MAX_VALUE) {
            return "unlimited";
        }
        return maxConsecutive + " in a row or " + maxInWindow + " in " + windowIterations + " iterations";
    }
}
