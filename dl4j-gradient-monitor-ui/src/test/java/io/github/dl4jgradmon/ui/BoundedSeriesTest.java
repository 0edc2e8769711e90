package io.github.dl4jgradmon.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import org.assertj.core.data.Percentage;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 12 item 6: what the UI module keeps per series is bounded, however long the run and however many layers. */
class BoundedSeriesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int KEPT = 2 * GradientMonitorModule.MAX_POINTS + 1;

    private static String[] names(int n) {
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = "layer" + i;
        }
        return names;
    }

    @Test
    void keepsABoundedDownsampledStoreOfALongRunWithTheFirstAndLatestPoint() throws IOException {
        String[] names = names(20);
        GradientSeries series = new GradientSeries("s", "0");
        for (int i = 0; i < 100_000; i++) {
            series.add(GradientUpdate.of("s", Fixtures.snapshot("0", i, 1_000 + i, names), 1_000 + i));
        }

        assertThat(series.retainedPoints()).isLessThanOrEqualTo(KEPT);
        assertThat(series.retainedValues()).isLessThanOrEqualTo((long) KEPT * 20 * GradientSeries.LAYER_FIELDS.size());
        JsonNode json = JSON.readTree(series.toJson(GradientMonitorModule.MAX_POINTS));
        assertThat(json.get("totalPoints").asLong()).isEqualTo(100_000);
        assertThat(json.get("shownPoints").asInt()).isEqualTo(GradientMonitorModule.MAX_POINTS);
        JsonNode its = json.get("iterations");
        assertThat(its).hasSize(GradientMonitorModule.MAX_POINTS);
        assertThat(its.get(0).asLong()).isZero();
        assertThat(its.get(its.size() - 1).asLong()).isEqualTo(99_999);
        for (int k = 1; k < its.size(); k++) {
            assertThat(its.get(k).asLong()).isGreaterThan(its.get(k - 1).asLong());
            // evenly spread: no gap wider than 4 x the average spacing
            assertThat(its.get(k).asLong() - its.get(k - 1).asLong()).isLessThanOrEqualTo(4 * 100_000 / 500);
        }
        JsonNode norms = json.get(GradientUpdate.GRADIENT_NORM);
        for (int l = 0; l < 20; l++) {
            for (int k = 0; k < its.size(); k++) {
                // Fixtures: layer l of 20 has norm 10^-(19 - l) * (1 + iteration / 100)
                double expected = Math.pow(10, -(19 - l)) * (1 + its.get(k).asLong() / 100.0);
                assertThat(norms.get(l).get(k).asDouble()).isCloseTo(expected, Percentage
                        .withPercentage(1e-9));
            }
        }
    }

    @Test
    void aStreamOfNewLayerNamesKeepsABoundedNumberOfLayersAndSaysHowManyWereLeftOut() throws IOException {
        GradientSeries series = new GradientSeries("s", "0");
        int updates = 3_000;
        for (int i = 0; i < updates; i++) {
            series.add(GradientUpdate.of("s", Fixtures.snapshot("0", i, 1_000 + i, "fixed", "new" + i), 1_000 + i));
        }

        assertThat(series.retainedValues()).isLessThanOrEqualTo(
                (long) GradientSeries.MAX_LAYERS * KEPT * GradientSeries.LAYER_FIELDS.size());
        JsonNode json = JSON.readTree(series.toJson(GradientMonitorModule.MAX_POINTS));
        assertThat(json.get("layers")).hasSize(GradientSeries.MAX_LAYERS);
        assertThat(json.get("layersOmitted").asInt()).isEqualTo(updates + 1 - GradientSeries.MAX_LAYERS);
        assertThat(json.get("layers").get(0).get("name").asText()).isEqualTo("fixed");
    }

    /** Live alerts carry up to 16,000 characters per text: 1,000 of them held 32.5 MB in one series. */
    @Test
    void alertTextCountsInTheBoundHoweverLongTheMessages() throws IOException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        String longText = "x".repeat(20_000);
        memory.gc();
        long before = memory.getHeapMemoryUsage().getUsed();
        GradientSeries series = new GradientSeries("s", "0");
        for (int i = 0; i < 1_000; i++) {
            series.alert(new GradientAlertRecord("s", new GradientAlert(
                    AlertType.EXPLODING, Severity.WARNING,
                    "0", i, longText + i, Optional.of(longText), 1, 0, longText + " message " + i,
                    longText + " hint"), 1_000 + i));
        }
        memory.gc();
        long retained = memory.getHeapMemoryUsage().getUsed() - before;

        assertThat(retained).as("heap held by a series of 1,000 long alerts").isLessThan(8L << 20);
        long chars = 0;
        for (GradientSeries.ShownAlert a : series.retainedAlerts()) {
            chars += a.type().length() + a.severity().length() + a.layer().length() + a.param().length()
                    + a.message().length() + a.hint().length();
            assertThat(a.message()).hasSize(GradientSeries.MAX_ALERT_TEXT + 1).endsWith("\u2026");
        }
        assertThat(chars).isLessThanOrEqualTo(GradientSeries.MAX_ALERT_CHARS);
        JsonNode json = JSON.readTree(series.toJson(GradientMonitorModule.MAX_POINTS));
        assertThat(json.get("alertTotal").asLong()).isEqualTo(1_000);
        JsonNode shown = json.get("alerts");
        assertThat(shown.get(shown.size() - 1).get("iteration").asLong()).isEqualTo(999);
        assertThat(shown.get(shown.size() - 1).get("message").asText())
                .isEqualTo("x".repeat(GradientSeries.MAX_ALERT_TEXT) + "\u2026");
    }

    @Test
    void evictsASeriesThatIsNoLongerPolled() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        GradientStatsSink a = GradientStatsSink.to(storage, "a");
        GradientStatsSink b = GradientStatsSink.to(storage, "b");
        for (int i = 0; i < 3; i++) {
            a.onSnapshot(Fixtures.snapshot("0", i, 1_000 + i, "x"));
            b.onSnapshot(Fixtures.snapshot("0", i, 1_000 + i, "x"));
        }
        AtomicLong now = new AtomicLong(5);
        GradientMonitorModule module = new GradientMonitorModule(now::get);
        module.onAttach(storage);

        module.dataJson("a", "0");
        now.addAndGet(GradientMonitorModule.IDLE_EVICTION_NANOS / 2);
        module.dataJson("b", "0");
        assertThat(module.cachedSeries()).isEqualTo(2);

        now.addAndGet(GradientMonitorModule.IDLE_EVICTION_NANOS / 2 + 1); // a idle for longer than the limit, b not
        module.dataJson("b", "0");
        assertThat(module.cachedSeries()).isEqualTo(1);
        assertThat(module.dataJson("a", "0")).contains("\"totalPoints\":3");
        assertThat(module.cachedSeries()).isEqualTo(2);
    }

    @Test
    void keepsAtMostAFixedNumberOfSeriesDroppingTheLeastRecentlyPolled() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        int sessions = GradientMonitorModule.MAX_CACHED_SERIES + 5;
        for (int s = 0; s < sessions; s++) {
            GradientStatsSink.to(storage, "s" + s).onSnapshot(Fixtures.snapshot("0", 0, 1_000, "x"));
        }
        AtomicLong now = new AtomicLong();
        GradientMonitorModule module = new GradientMonitorModule(now::get);
        module.onAttach(storage);

        for (int s = 0; s < sessions; s++) {
            now.incrementAndGet();
            assertThat(module.dataJson("s" + s, "0")).contains("\"session\":\"s" + s + "\"");
        }

        assertThat(module.cachedSeries()).isEqualTo(GradientMonitorModule.MAX_CACHED_SERIES);
    }

    @Test
    void detachingAStorageDropsOnlyItsSeries() {
        InMemoryStatsStorage first = new InMemoryStatsStorage();
        InMemoryStatsStorage second = new InMemoryStatsStorage();
        GradientStatsSink.to(first, "first").onSnapshot(Fixtures.snapshot("0", 0, 1_000, "x"));
        GradientStatsSink.to(second, "second").onSnapshot(Fixtures.snapshot("0", 0, 1_000, "x"));
        GradientMonitorModule module = new GradientMonitorModule(System::nanoTime);
        module.onAttach(first);
        module.onAttach(second);
        module.dataJson("first", "0");
        module.dataJson("second", "0");

        module.onDetach(first);

        assertThat(module.cachedSeries()).isEqualTo(1);
    }
}
