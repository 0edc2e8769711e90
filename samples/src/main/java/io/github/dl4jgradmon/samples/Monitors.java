package io.github.dl4jgradmon.samples;

import io.github.dl4jgradmon.GradientMonitor;
import io.github.dl4jgradmon.ui.GradientStatsSink;
import org.deeplearning4j.core.storage.StatsStorageRouter;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the samples get their monitor builder. Standalone, a plain {@code GradientMonitor.builder()}; in the tour,
 * every monitor also posts to the tour's stats file, so the UI page and the HTML report show every scenario (one
 * session each).
 */
final class Monitors {

    private static volatile StatsStorageRouter storage;
    private static final AtomicInteger sessions = new AtomicInteger();

    private Monitors() {
    }

    /**
     * A monitor builder; in the tour it also posts to the tour's stats file, in a session named after {@code label}
     * so the page's session selector tells the scenarios apart.
     */
    static GradientMonitor.Builder builder(String label) {
        GradientMonitor.Builder b = GradientMonitor.builder();
        StatsStorageRouter s = storage;
        if (s == null) {
            return b;
        }
        String session = String.format(Locale.ROOT, "%02d-%s", sessions.incrementAndGet(),
                label.replaceAll("[^A-Za-z0-9_.-]+", "-"));
        GradientStatsSink sink = GradientStatsSink.to(s, session);
        return b.onSnapshot(sink).onAlert(sink);
    }

    static void postTo(StatsStorageRouter router) {
        storage = router;
    }
}
