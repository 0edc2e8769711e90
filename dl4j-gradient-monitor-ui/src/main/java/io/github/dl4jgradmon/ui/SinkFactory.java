package io.github.dl4jgradmon.ui;

import io.github.dl4jgradmon.StatsStorageSinkFactory;
import org.deeplearning4j.core.storage.StatsStorageRouter;

/**
 * Makes {@code GradientMonitor.builder().statsStorage(router)} create a {@link GradientStatsSink}. Registered in
 * {@code META-INF/services/io.github.dl4jgradmon.StatsStorageSinkFactory}; internal.
 */
public final class SinkFactory implements StatsStorageSinkFactory {

    @Override
    public Sink create(StatsStorageRouter router) {
        return GradientStatsSink.to(router);
    }
}
