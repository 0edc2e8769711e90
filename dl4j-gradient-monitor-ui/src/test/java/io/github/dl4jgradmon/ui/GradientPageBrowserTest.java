package io.github.dl4jgradmon.ui;

import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The /gradmon page and the HTML report in headless Chromium, fed by a real training run. */
class GradientPageBrowserTest {

    private static VertxUIServer server;
    private static ChromeDriver driver;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServerAndBrowser() {
        Browser.assumeInstalled();
        server = UiServers.start();
        driver = Browser.start();
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

    private static WebDriverWait await() {
        return new WebDriverWait(driver, Duration.ofSeconds(30));
    }

    private static int attr(String id, String name) {
        String v = driver.findElement(By.id(id)).getAttribute(name);
        return v == null ? -1 : Integer.parseInt(v);
    }

    private static WebElement awaitVanishingAlert() {
        return await().until(d -> d.findElements(By.cssSelector("#gm-alerts tr.gm-alert[data-type=VANISHING]"))
                .stream().findFirst().orElse(null));
    }

    @Test
    void drawsTheLiveChartsAndListsTheVanishingAlertOfARealTrainingRun() throws IOException {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        server.attach(storage);
        try {
            driver.get(url("/gradmon"));
            await().until(d -> !"loading".equals(d.findElement(By.tagName("body")).getAttribute("data-state")));

            DeepSigmoidRun.train(List.of(GradientStatsSink.to(storage))); // while the page polls

            await().until(d -> attr("gm-norms", "data-points") == 13 * DeepSigmoidRun.ITERATIONS);
            WebElement alert = awaitVanishingAlert();
            assertThat(alert.findElement(By.className("gm-hint")).getText()).isNotBlank();
            assertThat(alert.findElement(By.className("gm-message")).getText()).containsPattern("layer .dense\\d+.");
            assertThat(attr("gm-norms", "data-series")).isEqualTo(13);
            assertThat(attr("gm-heatmap", "data-cells")).isEqualTo(13 * DeepSigmoidRun.ITERATIONS);
            assertThat(attr("gm-ratios", "data-points")).isPositive();
            assertThat(attr("gm-score", "data-points")).isPositive();
            assertThat(attr("gm-timeline", "data-marks")).isPositive();
            assertThat(driver.findElements(By.cssSelector("#gm-legend .gm-legend-item"))).hasSize(13);
            assertThat(driver.findElements(By.cssSelector("#gm-layers tr.gm-layer"))).hasSize(13);
            assertThat(driver.findElement(By.id("gm-back")).getAttribute("href")).endsWith("/train/overview");

            Path png = driver.getScreenshotAs(OutputType.FILE).toPath();
            Path target = Path.of("target", "gradmon-page.png");
            Files.createDirectories(target.getParent());
            Files.copy(png, target, StandardCopyOption.REPLACE_EXISTING);
            assertThat(Files.size(target)).isGreaterThan(10_000);
        } finally {
            server.detach(storage);
        }
    }

    @Test
    void replaysARecordedFileAndTurnsItIntoAReportThatWorksOffline() throws IOException {
        Path file = dir.resolve("stats.bin");
        FileStatsStorage recording = new FileStatsStorage(file.toFile());
        GradientStatsSink sink = GradientStatsSink.to(recording);
        DeepSigmoidRun.train(List.of(sink));
        recording.close();

        FileStatsStorage reopened = new FileStatsStorage(file.toFile());
        server.attach(reopened);
        try {
            driver.get(url("/gradmon"));
            await().until(d -> new Select(d.findElement(By.id("gm-session"))).getOptions().stream()
                    .anyMatch(o -> sink.sessionId().equals(o.getAttribute("value"))));
            new Select(driver.findElement(By.id("gm-session"))).selectByValue(sink.sessionId());
            awaitVanishingAlert();
            assertThat(driver.findElement(By.id("gm-footer")).getText()).contains(sink.sessionId());

            Path report = dir.resolve("report.html");
            GradientReport.writeHtml(reopened, report);
            String html = Files.readString(report);
            assertThat(html).doesNotContain("<script src=", "<link ", "http://", "https://");

            driver.get(report.toUri().toString());
            awaitVanishingAlert();
            assertThat(attr("gm-norms", "data-series")).isEqualTo(13);
            assertThat(attr("gm-heatmap", "data-cells")).isGreaterThanOrEqualTo(13 * 50);
            assertThat(driver.findElement(By.tagName("body")).getAttribute("class")).contains("gm-report");
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), Path.of("target", "gradmon-report.png"),
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            server.detach(reopened);
            reopened.close();
        }
    }

    @Test
    void showsAHostileLayerNameAsText() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        GradientStatsSink sink = GradientStatsSink.to(storage, "escaping-" + Fixtures.SCARY_NAME);
        for (int i = 0; i < 10; i++) {
            sink.onSnapshot(Fixtures.snapshot("0", i, 1_000 + i, "in", Fixtures.SCARY_NAME, "out"));
        }
        sink.onAlert(Fixtures.vanishing("0", 9, Fixtures.SCARY_NAME));
        server.attach(storage);
        try {
            driver.get(url("/gradmon"));
            await().until(d -> new Select(d.findElement(By.id("gm-session"))).getOptions().stream()
                    .anyMatch(o -> sink.sessionId().equals(o.getAttribute("value"))));
            new Select(driver.findElement(By.id("gm-session"))).selectByValue(sink.sessionId());
            awaitVanishingAlert();
            await().until(d -> d.findElement(By.id("gm-legend")).getText().contains(Fixtures.SCARY_NAME));

            assertThat(driver.findElement(By.id("gm-layers")).getText()).contains(Fixtures.SCARY_NAME);
            assertThat(driver.findElement(By.id("gm-alerts")).getText()).contains(Fixtures.SCARY_NAME);
            assertThat(driver.findElements(By.tagName("img"))).isEmpty();
            assertThatThrownBy(() -> driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        } finally {
            server.detach(storage);
        }
    }

    @Test
    void aSessionAndWorkerInTheUrlOpenThatSeries() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        GradientStatsSink first = GradientStatsSink.to(storage, "url-first");
        GradientStatsSink second = GradientStatsSink.to(storage, "url-second");
        for (int i = 0; i < 5; i++) {
            first.onSnapshot(Fixtures.snapshot("0", i, 2_000 + i, "a", "b"));
            second.onSnapshot(Fixtures.snapshot("0", i, 3_000 + i, "a", "b"));
            second.onSnapshot(Fixtures.snapshot("1", i, 3_000 + i, "a", "b"));
        }
        server.attach(storage);
        try {
            driver.get(url("/gradmon?session=url-first&worker=0"));
            await().until(d -> "ready".equals(d.findElement(By.tagName("body")).getAttribute("data-state")));
            assertThat(new Select(driver.findElement(By.id("gm-session"))).getFirstSelectedOption()
                    .getAttribute("value")).isEqualTo("url-first");
            assertThat(driver.findElement(By.id("gm-footer")).getText()).contains("url-first", "worker 0");

            driver.get(url("/gradmon?session=url-second&worker=1"));
            await().until(d -> d.findElement(By.id("gm-footer")).getText().contains("url-second"));
            assertThat(driver.findElement(By.id("gm-footer")).getText()).contains("worker 1");
        } finally {
            server.detach(storage);
        }
    }
}
