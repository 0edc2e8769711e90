package io.github.dl4jgradmon;

import io.github.dl4jgradmon.detect.DetectorSuite;
import io.github.dl4jgradmon.internal.alert.AlertDelivery;
import io.github.dl4jgradmon.internal.alert.Faults;
import io.github.dl4jgradmon.internal.react.ReactionChain;
import io.github.dl4jgradmon.internal.stats.StatsPass;
import io.github.dl4jgradmon.stats.GradientSnapshot;

import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * What every worker of one monitor shares: the configuration it needs per step, where snapshots and alerts go, and
 * the reactions' factory (each worker gets its own). Thread-safe parts only. {@code passes} wraps the statistics pass
 * a worker chooses (the identity, except where tests inject faults); {@code layerFilter} gives each model's watched
 * layers and says once what the filter leaves out.
 */
record MonitorContext(int frequency, int threads, int alertRepeatInterval, DetectorSuite detectors,
              History<GradientSnapshot> snapshots, List<SnapshotHandler> snapshotHandlers, AlertDelivery alerts,
              Faults faults, Supplier<ReactionChain> reactions, UnaryOperator<StatsPass> passes,
              FilterNotices layerFilter) {
}
