package io.github.dl4jgradmon;

import java.io.Serializable;

/**
 * How much poisoned-step skipping is allowed before the monitor stops training: endless skipping hides a real bug
 * (bad data, a learning rate that always overflows). Exceeding either limit throws a
 * {@link io.github.dl4jgradmon.alert.GradientAlertException}.
 *
 * <pre>{@code
 * GradientMonitor.builder().skipNonFiniteSteps(SkipBudget.of(5, 50, 1_000)).build();
 * }</pre>
 *
 * @param maxConsecutive   skipped steps in a row allowed, >= 1
 * @param maxInWindow      skipped steps allowed within {@code windowIterations}, >= 1
 * @param windowIterations the window, >= 1
 */
public record SkipBudget(int maxConsecutive, int maxInWindow, int windowIterations) implements Serializable {

    /** 5 in a row, or 50 within 1,000 iterations. */
    public static final SkipBudget DEFAULT = new SkipBudget(5, 50, 1_000);

    public SkipBudget {
        if (maxConsecutive < 1) {
            throw new IllegalArgumentException("maxConsecutive must be >= 1 (got: " + maxConsecutive + ")");
        }
        if (maxInWindow < 1) {
            throw new IllegalArgumentException("maxInWindow must be >= 1 (got: " + maxInWindow + ")");
        }
        if (windowIterations < 1) {
            throw new IllegalArgumentException("windowIterations must be >= 1 (got: " + windowIterations + ")");
        }
    }

    public static SkipBudget of(int maxConsecutive, int maxInWindow, int windowIterations) {
        return new SkipBudget(maxConsecutive, maxInWindow, windowIterations);
    }
}
