package io.github.dl4jgradmon;

import java.io.Serializable;

/**
 * Lowers the learning rate after repeated explosions: when {@code afterAlerts} EXPLODING alerts arrive within
 * {@code windowIterations} iterations, every layer's learning rate is multiplied by {@code factor}, never below
 * {@code floor}. Logged and reported as an {@code LR_REDUCED} alert. Off unless configured.
 *
 * <pre>{@code
 * GradientMonitor.builder().learningRateBackoff(LearningRateBackoff.of(0.5, 1e-6)).build();
 * }</pre>
 *
 * @param factor           multiplier in (0, 1)
 * @param floor            smallest learning rate it sets, >= 0
 * @param afterAlerts      EXPLODING alerts that trigger one back-off, >= 1
 * @param windowIterations the window they must fall in, >= 1
 */
public record LearningRateBackoff(double factor, double floor, int afterAlerts, int windowIterations)
        implements Serializable {

    public LearningRateBackoff {
        if (!(factor > 0 && factor < 1)) {
            throw new IllegalArgumentException("factor must be in (0, 1) (got: " + factor + ")");
        }
        if (!(floor >= 0) || Double.isInfinite(floor)) {
            throw new IllegalArgumentException("floor must be >= 0 and finite (got: " + floor + ")");
        }
        if (afterAlerts < 1) {
            throw new IllegalArgumentException("afterAlerts must be >= 1 (got: " + afterAlerts + ")");
        }
        if (windowIterations < 1) {
            throw new IllegalArgumentException("windowIterations must be >= 1 (got: " + windowIterations + ")");
        }
    }

    /** Back off by {@code factor} after 3 EXPLODING alerts within 100 iterations, down to {@code floor}. */
    public static LearningRateBackoff of(double factor, double floor) {
        return new LearningRateBackoff(factor, floor, 3, 100);
    }
}
