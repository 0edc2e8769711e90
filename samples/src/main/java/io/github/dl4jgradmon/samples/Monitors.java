package io.github.dl4jgradmon.samples;

import io.github.dl4jgradmon.GradientMonitor;
import org.deeplearning4j.core.storage.StatsStorageRouter;

/**
 * Where the samples get their monitor builder. Standalone, a plain {@code GradientMonitor.builder()}; in the tour,
 * every monitor also posts to the tour's stats file, so the UI page and the HTML report show every scenario (one
 * session each).
 */
final class Monitors {

    private static volatile StatsStorageRouter storage;

    private Monitors() {
    }

    static GradientMonitor.Builder builder() {
        GradientMonitor.Builder b = GradientMonitor.builder();
        StatsStorageRouter s = storage;
        return s == null ? b : b.statsStorage(s);
    }

    static void postTo(StatsStorageRouter router) {
        storage = router;
    }
}
