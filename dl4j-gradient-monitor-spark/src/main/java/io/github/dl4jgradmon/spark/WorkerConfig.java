package io.github.dl4jgradmon.spark;

import io.github.dl4jgradmon.GradientMonitor;

import java.io.Serializable;

/**
 * How each Spark worker configures its {@link GradientMonitor}: a serializable function applied, on the executor, to
 * a fresh {@code GradientMonitor.builder()}. Every builder option is available (clipping, skipping, detectors,
 * frequency, ...), and whatever the lambda captures travels to the executors with it, so it must be serializable.
 *
 * <pre>{@code
 * SparkGradientMonitor.builder()
 *         .worker(b -> b.skipNonFiniteSteps(true).clipping(GradientClipping.globalNorm(1.0)))
 *         .build();
 * }</pre>
 *
 * <p>It runs once per worker series and executor JVM: the monitor it builds is kept there and continues over the
 * series' tasks. On the worker it starts from {@code logAlerts(false)}, {@code historySize(1)} and
 * {@code alertHistorySize(1)} (nobody reads a worker's own history; the records go to the driver); the function can
 * change them. Handlers added here ({@code onAlert}, {@code onSnapshot}) run on the executors. For alerts on the driver use
 * {@link SparkGradientMonitor.Builder#onAlert} or {@link SparkGradientMonitor#alerts()}.
 */
@FunctionalInterface
public interface WorkerConfig extends Serializable {

    /** Returns the builder with this worker configuration applied (usually the same builder). */
    GradientMonitor.Builder configure(GradientMonitor.Builder builder);

    /** The library's defaults (statistics every iteration, default detectors, no reactions). */
    static WorkerConfig defaults() {
        return b -> b;
    }
}
