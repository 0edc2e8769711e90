package io.github.dl4jgradmon.ui;

import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 12 item 11: the page's script on hostile names, in headless Chromium against the real UI server. */
class PageScriptBrowserTest {

    private static final int LONG = 16_000;
    /** Counts the canvas text measurements of long strings, installed before any page script runs. */
    private static final String COUNT_LONG_MEASUREMENTS = """
            window.__longMeasures = 0;
            (function () {
              var original = CanvasRenderingContext2D.prototype.measureText;
              CanvasRenderingContext2D.prototype.measureText = function (text) {
                if (String(text).length > 1000) { window.__longMeasures++; }
                return original.call(this, text);
              };
            }());
            """;

    private static VertxUIServer server;
    private static ChromeDriver driver;

    @BeforeAll
    static void startServerAndBrowser() {
        Browser.assumeInstalled();
        server = UiServers.start();
        driver = Browser.start();
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", COUNT_LONG_MEASUREMENTS));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (driver != null) {
            driver.quit();
        }
        UiServers.stop(server);
    }

    private static String url(String path) {
        return "http://localhost:" + server.getPort() + path;
    }

    private static void awaitReady() {
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(
                d -> "ready".equals(d.findElement(By.tagName("body")).getAttribute("data-state")));
    }

    @Test
    void fitsALabelWithALogarithmicNumberOfMeasurementsAndKeepsTheLongestPrefixThatFits() {
        driver.get(url("/gradmon"));

        @SuppressWarnings("unchecked")
        List<Object> r = (List<Object>) driver.executeScript("""
                var g = document.createElement('canvas').getContext('2d');
                g.font = '12px sans-serif';
                var before = window.__longMeasures;
                var text = 'ab'.repeat(arguments[0] / 2);
                var fitted = window.gradmon.fitLabel(g, text, 160);
                var calls = window.__longMeasures - before;
                var prefix = fitted.slice(0, -1);
                var longer = text.slice(0, prefix.length + 1) + '\\u2026';
                return [calls, fitted, g.measureText(fitted).width, g.measureText(longer).width,
                        window.gradmon.fitLabel(g, 'short', 160)];
                """, LONG);

        long calls = (Long) r.get(0);
        String fitted = (String) r.get(1);
        assertThat(calls).as("measurements of the 16,000-char text").isLessThanOrEqualTo(2 * 14 + 4);
        assertThat(fitted).endsWith("\u2026");
        assertThat("ab".repeat(LONG / 2)).startsWith(fitted.substring(0, fitted.length() - 1));
        assertThat(((Number) r.get(2)).doubleValue()).as("fitted width").isLessThanOrEqualTo(160);
        assertThat(((Number) r.get(3)).doubleValue()).as("one more char no longer fits").isGreaterThan(160);
        assertThat(r.get(4)).isEqualTo("short");
    }

    @Test
    void rendersALayerWithASixteenThousandCharNameWithoutMeasuringItOverAndOver() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        String longName = "n".repeat(LONG);
        GradientStatsSink sink = GradientStatsSink.to(storage, "long-name");
        for (int i = 0; i < 5; i++) {
            sink.onSnapshot(Fixtures.snapshot("0", i, 1_000 + i, "in", longName));
        }
        server.attach(storage);
        try {
            driver.get(url("/gradmon?session=long-name&worker=0"));
            awaitReady();

            long measures = (Long) driver.executeScript("return window.__longMeasures;");
            assertThat(measures).as("measurements of the long name over the first render(s)").isLessThan(200);
            assertThat(Integer.parseInt(driver.findElement(By.id("gm-heatmap")).getAttribute("data-cells")))
                    .isEqualTo(2 * 5);
        } finally {
            server.detach(storage);
        }
    }

    @Test
    void layerTooltipsSayWhatDl4jDoesToTheGradientAfterItIsMeasured() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        GradientStatsSink.to(storage, "handled").onSnapshot(Fixtures.handled());
        server.attach(storage);
        try {
            driver.get(url("/gradmon?session=handled&worker=0"));
            awaitReady();

            assertThat(driver.findElements(By.cssSelector("#gm-layers tr.gm-layer")))
                    .extracting(e -> e.getAttribute("title"))
                    .containsExactly(Fixtures.CLIPPED_AND_L2, "no DL4J gradient normalization or regularization: the "
                            + "update follows from the measured gradient and the updater alone");
            assertThat(driver.findElements(By.cssSelector("#gm-legend .gm-legend-item")).get(0).getAttribute("title"))
                    .isEqualTo("a (DenseLayer)\n" + Fixtures.CLIPPED_AND_L2);
        } finally {
            server.detach(storage);
        }
    }

    @Test
    void countsAnAlertTypeNamedProtoWithoutTouchingTheObjectPrototype() throws Exception {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        GradientStatsSink sink = GradientStatsSink.to(storage, "proto");
        sink.onSnapshot(Fixtures.snapshot("0", 0, 1_000, "a"));
        storage.putUpdate(alert("proto", 1_001, "__proto__", "CRITICAL"));
        storage.putUpdate(alert("proto", 1_002, "__proto__", "WARNING"));
        storage.putUpdate(alert("proto", 1_003, "constructor", "WARNING"));
        storage.putUpdate(alert("proto", 1_004, "VANISHING", "__proto__"));
        server.attach(storage);
        try {
            driver.get(url("/gradmon?session=proto&worker=0"));
            awaitReady();

            assertThat(driver.findElements(By.cssSelector("#gm-alert-types .gm-badge")))
                    .extracting(e -> e.getText())
                    .containsExactlyInAnyOrder("__proto__ \u00d7 2", "constructor \u00d7 1", "VANISHING \u00d7 1");
            assertThat(driver.executeScript("return Object.prototype.hasOwnProperty('count') || "
                    + "Object.prototype.hasOwnProperty('type') || ({}).count !== undefined;")).isEqualTo(false);
            assertThat(driver.findElements(By.cssSelector("#gm-alerts tr.gm-alert"))).hasSize(4);
        } finally {
            server.detach(storage);
        }
    }

    /** An alert record with any type and severity names (as a newer or hostile writer could store). */
    private static GradientAlertRecord alert(String session, long time, String type, String severity) {
        byte[] bytes = RecordCodec.encode(RecordCodec.ALERT, out -> {
            out.writeUTF(session);
            out.writeUTF("0");
            out.writeLong(time);
            out.writeUTF(type);
            out.writeUTF(severity);
            out.writeUTF("a");
            out.writeUTF("W");
            out.writeLong(time - 1_000);
            out.writeDouble(1e-9);
            out.writeDouble(1e-7);
            out.writeUTF("message of " + type);
            out.writeUTF("hint");
        });
        GradientAlertRecord r = new GradientAlertRecord();
        r.decode(bytes);
        return r;
    }
}
