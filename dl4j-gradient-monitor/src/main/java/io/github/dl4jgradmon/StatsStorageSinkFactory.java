package io.github.dl4jgradmon;

import io.github.dl4jgradmon.alert.AlertHandler;
import org.deeplearning4j.core.storage.StatsStorageRouter;

/**
 * Service-provider interface behind {@link GradientMonitor.Builder#statsStorage(StatsStorageRouter)}: the module
 * {@code dl4j-gradient-monitor-ui} registers its implementation in
 * {@code META-INF/services/io.github.dl4jgradmon.StatsStorageSinkFactory}, so the core library never depends on the
 * UI. Not meant to be implemented by users.
 */
public interface StatsStorageSinkFactory {

    /** A sink posting snapshots and alerts to the router. */
    Sink create(StatsStorageRouter router);

    /** Receives both snapshots and alerts. */
    interface Sink extends SnapshotHandler, AlertHandler {
    }
}
