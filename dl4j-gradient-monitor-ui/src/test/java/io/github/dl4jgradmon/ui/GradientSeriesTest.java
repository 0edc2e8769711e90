package io.github.dl4jgradmon.ui;

import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GradientSeriesTest {

    @ParameterizedTest
    @CsvSource({"0, 500, 0", "1, 500, 1", "500, 500, 500", "501, 500, 500", "100000, 500, 500", "7, 2, 2"})
    void samplesAtMostMaxPointsKeepingFirstAndLast(int n, int max, int expected) {
        int[] idx = GradientSeries.sample(n, max);

        assertThat(idx).hasSize(expected);
        if (n > 0) {
            assertThat(idx[0]).isZero();
            assertThat(idx[idx.length - 1]).isEqualTo(n - 1);
            assertThat(Arrays.stream(idx).distinct().count()).isEqualTo(idx.length);
        }
    }

    @Test
    void downsamplesALongRunAndReadsOnlyNewRecordsOnRefresh() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        GradientStatsSink sink = GradientStatsSink.to(storage, "long");
        for (int i = 0; i < 1_200; i++) {
            sink.onSnapshot(Fixtures.snapshot("0", i, 1_000 + i, "a", "b"));
        }
        GradientMonitorModule module = new GradientMonitorModule();
        module.onAttach(storage);

        String first = module.dataJson("long", "0");
        for (int i = 1_200; i < 1_300; i++) {
            sink.onSnapshot(Fixtures.snapshot("0", i, 1_000 + i, "a", "b"));
        }
        String second = module.dataJson("long", "0");

        assertThat(first).contains("\"totalPoints\":1200", "\"shownPoints\":500");
        assertThat(second).contains("\"totalPoints\":1300", "\"shownPoints\":500");
        assertThat(iterations(second)).hasSize(500).startsWith("0").endsWith("1299");
    }

    @Test
    void keepsEachPointsPretrainedLayerThroughDownsamplingAndShowsTheLatestMovedArrays() throws IOException {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        GradientStatsSink sink = GradientStatsSink.to(storage, "pre");
        for (int i = 0; i < 1_200; i++) {
            GradientSnapshot s = Fixtures.withCenters("0", i, 1_000 + i);
            sink.onSnapshot(i < 700 ? s.asPretrainingOf("out") : s);
        }
        GradientMonitorModule module = new GradientMonitorModule();
        module.onAttach(storage);

        JsonNode data = new ObjectMapper().readTree(module.dataJson("pre", "0"));

        JsonNode iterations = data.get("iterations");
        JsonNode pretrained = data.get("pretrained");
        assertThat(pretrained.size()).isEqualTo(iterations.size()).isEqualTo(500);
        for (int k = 0; k < iterations.size(); k++) {
            long iteration = iterations.get(k).asLong();
            assertThat(pretrained.get(k).isNull()).as("point %d, iteration %d", k, iteration)
                    .isEqualTo(iteration >= 700);
            if (iteration < 700) {
                assertThat(pretrained.get(k).asText()).isEqualTo("out");
            }
        }
        JsonNode moved = data.get("moved");
        assertThat(moved.size()).isEqualTo(1);
        assertThat(moved.get(0).get("layer").asText()).isEqualTo("out");
        assertThat(moved.get(0).get("param").asText()).isEqualTo("cL");
        assertThat(moved.get(0).get("size").asLong()).isEqualTo(40);
        assertThat(moved.get(0).get("paramNorm").asDouble()).isEqualTo(3.0);
        assertThat(moved.get(0).get("updateNorm").asDouble()).isEqualTo(0.06);
        assertThat(moved.get(0).get("updateRatio").asDouble()).isEqualTo(0.02);
    }

    @Test
    void pageDataHoldsTheLatestSnapshotsUnwatchedSummaryAndNullOnceItIsUnfiltered() throws IOException {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        GradientStatsSink sink = GradientStatsSink.to(storage, "f");
        sink.onSnapshot(Fixtures.filtered("0", 0, 1_000, "out"));
        GradientMonitorModule module = new GradientMonitorModule();
        module.onAttach(storage);

        JsonNode unwatched = new ObjectMapper().readTree(module.dataJson("f", "0")).get("unwatched");
        assertThat(unwatched.get("filter").asText()).isEqualTo("layers=[out]");
        assertThat(unwatched.get("layerCount").asInt()).isEqualTo(12);
        assertThat(unwatched.get("paramCount").asLong()).isEqualTo(33_500_000L);
        assertThat(unwatched.get("gradientNorm").asDouble()).isEqualTo(0.0123);
        assertThat(unwatched.get("nanCount").asLong()).isEqualTo(1);
        assertThat(unwatched.get("infCount").asLong()).isEqualTo(2);

        sink.onSnapshot(Fixtures.snapshot("0", 1, 1_001, "out"));
        assertThat(new ObjectMapper().readTree(module.dataJson("f", "0")).get("unwatched").isNull()).isTrue();
    }

    @Test
    void pageDataSaysWhatDl4jDoesToEachLayersGradient() throws IOException {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        GradientStatsSink.to(storage, "h").onSnapshot(Fixtures.handled());
        GradientMonitorModule module = new GradientMonitorModule();
        module.onAttach(storage);

        var layers = new ObjectMapper().readTree(module.dataJson("h", "0")).get("layers");
        assertThat(layers.get(0).get("dl4jHandling").asText()).isEqualTo(Fixtures.CLIPPED_AND_L2);
        assertThat(layers.get(1).get("dl4jHandling").asText()).startsWith("no DL4J gradient normalization");
    }

    @Test
    void escapesMarkupInTheJsonAndReportsUnknownSeries() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        GradientStatsSink sink = GradientStatsSink.to(storage, "s");
        sink.onSnapshot(Fixtures.snapshot("0", 0, 1, Fixtures.SCARY_NAME));
        GradientMonitorModule module = new GradientMonitorModule();
        module.onAttach(storage);

        String json = module.dataJson("s", "0");
        assertThat(json).contains("\\u003cimg src=x onerror=alert(1)\\u003e").doesNotContain("<");
        assertThat(module.dataJson("nope", "0")).contains("\"error\":\"no GradientMonitor records for session 'nope'");
        assertThat(module.sessionsJson()).contains("\"id\":\"s\"", "\"workers\":[\"0\"]");
    }

    @Test
    void writesAReportWithEverythingInline() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        GradientStatsSink sink = GradientStatsSink.to(storage, "r");
        sink.onSnapshot(Fixtures.snapshot("0", 0, 1, "a", Fixtures.SCARY_NAME));
        sink.onAlert(Fixtures.vanishing("0", 0, "a"));

        String html = GradientReport.html(storage);

        assertThat(html).contains("<script type=\"application/json\" id=\"gradmon-data\">", "<style>",
                "\"type\":\"VANISHING\"").doesNotContain("<script src=", "<link ", Fixtures.SCARY_NAME);
    }

    @Test
    void writesALoneSurrogateAsAnEscapeSoPageAndReportStayValidUtf8(@TempDir Path dir) throws IOException {
        String lone = "bad\uD800name</script>";
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        GradientStatsSink sink = GradientStatsSink.to(storage, "lone");
        sink.onSnapshot(Fixtures.snapshot("0", 0, 1, "a", lone));
        sink.onAlert(Fixtures.vanishing("0", 0, lone));
        GradientMonitorModule module = new GradientMonitorModule();
        module.onAttach(storage);

        String data = module.dataJson("lone", "0");
        Path report = dir.resolve("report.html");
        GradientReport.writeHtml(storage, report);

        assertThat(StandardCharsets.UTF_8.newEncoder().canEncode(data)).isTrue();
        assertThat(data).contains("\"bad\\ud800name\\u003c/script\\u003e\"");
        assertThat(new ObjectMapper().readTree(data).get("layers").get(1).get("name").asText()).isEqualTo(lone);
        String html = Files.readString(report, StandardCharsets.UTF_8);
        assertThat(html).contains("bad\\ud800name\\u003c/script\\u003e").doesNotContain("\uD800");
    }

    @Test
    void refusesAReportOfAStorageWithoutGradientMonitorRecords() {
        assertThatThrownBy(() -> GradientReport.html(new InMemoryStatsStorage()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no GradientMonitor records in this storage");
    }

    private static String[] iterations(String json) {
        Matcher m = Pattern.compile("\"iterations\":\\[([^\\]]*)]").matcher(json);
        assertThat(m.find()).isTrue();
        return m.group(1).split(",");
    }
}
