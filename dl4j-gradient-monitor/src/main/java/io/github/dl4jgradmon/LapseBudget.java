package io.github.dl4jgradmon;

import io.github.dl4jgradmon.util.Checks;

import java.io.Serializable;

/**
 * How many unprotected steps are allowed when protection the user configured (clipping, skipping poisoned steps)
 * cannot run because of a failure inside the monitor. Each such step raises a CRITICAL {@code PROTECTION_LAPSED}
 * alert (logged at ERROR, passed to every handler); beyond the budget training stops with a
 * {@link io.github.dl4jgradmon.alert.GradientAlertException}.
 *
 * <pre>{@code
 * GradientMonitor.builder()
 *         .clipping(GradientClipping.globalNorm(1.0))
 *         .lapseBudget(LapseBudget.of(0, 1, 1_000))   // stop at the first unprotected step
 *         .build();
 * }</pre>
 *
 * @param maxConsecutive   unprotected steps in a row allowed, >= 0
 * @param maxInWindow      unprotected steps allowed within {@code windowIterations}, >= 0
 * @param windowIterations the window, >= 1
 */
public record LapseBudget(int maxConsecutive, int maxInWindow, int windowIterations) implements Serializable {

    /** 3 in a row, or 10 within 1,000 iterations. */
    public static final LapseBudget DEFAULT = new LapseBudget(3, 10, 1_000);

    public LapseBudget {
        Checks.atLeast("maxConsecutive", maxConsecutive, 0);
        Checks.atLeast("maxInWindow", maxInWindow, 0);
        Checks.atLeast("windowIterations", windowIterations, 1);
    }

    public static LapseBudget of(int maxConsecutive, int maxInWindow, int windowIterations) {
        return new LapseBudget(maxConsecutive, maxInWindow, windowIterations);
    }

    /** Never stop: every unprotected step is alerted, training goes on. */
    public static LapseBudget unlimited() {
        return new LapseBudget(Integer.MAX_VALUE, Integer.MAX_VALUE, 1);
    }
}
