package io.github.dl4jgradmon.internal.stats;

import java.util.Objects;

/**
 * What identifies one training step of one model, as DL4J reports it when the raw gradient is ready: the
 * monitor's worker, DL4J's counters, the score, the minibatch and what DL4J divides the raw gradient by.
 *
 * <p>Internal: the monitor builds one per step; the snapshot assembler and the reactions read it.
 *
 * @param workerId        the model (ParallelWrapper worker) the step belongs to
 * @param iteration       DL4J's iteration count during the step (before its increment)
 * @param epoch           DL4J's epoch count
 * @param score           the minibatch loss DL4J computed for the step
 * @param batchSize       the minibatch size
 * @param divisor         what DL4J divides the raw gradient by before the updater: the minibatch size, or 1 under
 *                        {@code miniBatch(false)}
 * @param timestampMillis when the step's gradient was read
 */
public record StepHeader(String workerId, int iteration, int epoch, double score, int batchSize, double divisor,
                         long timestampMillis) {

    public StepHeader {
        Objects.requireNonNull(workerId, "workerId");
        if (!(divisor > 0)) {
            throw new IllegalArgumentException("divisor must be > 0 (got: " + divisor + ")");
        }
    }
}
