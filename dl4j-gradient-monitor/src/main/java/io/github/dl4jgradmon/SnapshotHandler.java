package io.github.dl4jgradmon;

import io.github.dl4jgradmon.stats.GradientSnapshot;

import java.io.Serializable;

/**
 * Receives every snapshot as it is produced, on the training thread of the worker that produced it. Keep it quick:
 * training waits for it. Serializable because the monitor is.
 *
 * <pre>{@code
 * GradientMonitor.builder()
 *         .onSnapshot(s -> metrics.gauge("grad.norm", s.globalGradientNorm()))
 *         .build();
 * }</pre>
 */
@FunctionalInterface
public interface SnapshotHandler extends Serializable {

    void onSnapshot(GradientSnapshot snapshot);
}
