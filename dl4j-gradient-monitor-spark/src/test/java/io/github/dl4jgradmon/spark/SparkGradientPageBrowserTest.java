package io.github.dl4jgradmon.spark;

import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The /gradmon page of the DL4J UI shows both workers of a local[2] Spark run, each as its own series, and the alert
 * of the worker whose partition held NaN rows. Headless Chromium from the system packages, as in the UI module's
 * browser test (both paths given so that Selenium never downloads anything).
 */
class SparkGradientPageBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final int ROUNDS = 4;

    private static VertxUIServer server;
    private static ChromeDriver driver;

    @BeforeAll
    static void startServerAndBrowser() {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "browser test skipped: " + CHROMIUM + " and " + CHROMEDRIVER + " are needed "
                        + "(apt-get install -y chromium chromium-driver; CI installs them)");
        server = VertxUIServer.getInstance(0, false, null);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1280,1900", "--force-device-scale-factor=1");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void showsEachWorkerOfASparkRunAsItsOwnSeriesWithThePoisonedWorkersAlert() throws IOException {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        SparkGradientMonitor monitor = SparkGradientMonitor.builder().statsStorage(storage)
                .worker(b -> b.skipNonFiniteSteps(true)).build();
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(SparkFixtures.spark(), SparkFixtures.initMlp(),
                SparkFixtures.averagingEveryStep());
        monitor.attachTo(sparkNet);
        for (int round = 0; round < ROUNDS; round++) {
            List<DataSet> batches = new ArrayList<>();
            batches.add(SparkFixtures.batch(200 + round));
            batches.add(round == 2 ? SparkFixtures.poisoned(300 + round, 2) : SparkFixtures.batch(300 + round));
            sparkNet.fit(SparkFixtures.partitioned(batches));
        }
        server.attach(storage);
        try {
            String clean = SparkFixtures.series(0);
            String poisoned = SparkFixtures.series(1);
            driver.get(url("/gradmon?session=" + monitor.sessionId() + "&worker=" + clean));
            await().until(d -> "ready".equals(d.findElement(By.tagName("body")).getAttribute("data-state")));
            assertThat(new Select(driver.findElement(By.id("gm-worker"))).getOptions())
                    .extracting(o -> o.getAttribute("value")).containsExactlyInAnyOrder(clean, poisoned);
            await().until(d -> attr("gm-norms", "data-points") == 2 * ROUNDS);
            assertThat(driver.findElements(By.cssSelector("#gm-alerts tr.gm-alert"))).isEmpty();
            assertThat(driver.findElement(By.id("gm-footer")).getText()).contains("worker " + clean);

            new Select(driver.findElement(By.id("gm-worker"))).selectByValue(poisoned);
            WebElement alert = await().until(d -> d.findElements(
                    By.cssSelector("#gm-alerts tr.gm-alert[data-type=STEP_SKIPPED]")).stream().findFirst().orElse(null));
            assertThat(alert.getText()).contains("poisoned step skipped");
            assertThat(driver.findElement(By.id("gm-footer")).getText()).contains("worker " + poisoned);
            await().until(d -> attr("gm-norms", "data-points") > 0);

            Path target = Path.of("target", "gradmon-spark.png");
            Files.createDirectories(target.getParent());
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            assertThat(Files.size(target)).isGreaterThan(10_000);
        } finally {
            server.detach(storage);
        }
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
}
