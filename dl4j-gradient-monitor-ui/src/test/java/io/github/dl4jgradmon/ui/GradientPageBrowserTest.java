package io.github.dl4jgradmon.ui;

import io.github.dl4jgradmon.GradientMonitor;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.CenterLossOutputLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.variational.VariationalAutoencoder;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
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
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

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

    /** Batches of 8 rows, 4 features, 3 classes, in double. */
    private static DataSet batch(int seed) {
        Nd4j.getRandom().setSeed(seed);
        DataSet d = new DataSet(Nd4j.rand(DataType.DOUBLE, 8, 4), Nd4j.zeros(DataType.DOUBLE, 8, 3));
        for (int i = 0; i < 8; i++) {
            d.getLabels().putScalar(i, i % 3, 1.0);
        }
        return d;
    }

    /** L2 norm of {@code a - b}, summed in Java from DL4J's own values. */
    private static double normOfDifference(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(sum);
    }

    private static double attrDouble(WebElement e, String name) {
        return Double.parseDouble(e.getAttribute(name));
    }

    @Test
    void listsTheCentersDl4jMovesAsAMovedRowWithTheirChangeOnThePageAndInTheReport() throws IOException {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5)
                .dataType(DataType.DOUBLE).updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().name("hidden").nIn(4).nOut(5).activation(Activation.TANH).build())
                .layer(new CenterLossOutputLayer.Builder().name("centerLoss")
                        .lossFunction(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(3).activation(Activation.SOFTMAX)
                        .alpha(0.5).lambda(0.1).build())
                .build());
        net.init();
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        GradientStatsSink sink = GradientStatsSink.to(storage, "center-loss");
        net.addListeners(GradientMonitor.builder().logAlerts(false).onSnapshot(sink).onAlert(sink).build());
        for (int i = 0; i < 4; i++) {
            net.fit(batch(i));
        }
        double[] before = net.getLayer(1).getParam("cL").dup().data().asDouble();
        net.fit(batch(4));
        double[] after = net.getLayer(1).getParam("cL").dup().data().asDouble();
        double change = normOfDifference(after, before);
        double norm = normOfDifference(before, new double[before.length]);
        assertThat(change).as("the layer moved its centers").isPositive();

        server.attach(storage);
        try {
            driver.get(url("/gradmon?session=center-loss&worker=0"));
            WebElement row = await().until(d -> d.findElements(By.cssSelector(
                    "#gm-layers tr.gm-moved[data-param=cL]")).stream().findFirst().orElse(null));
            assertThat(row.getText()).contains("centerLoss / cL", "moved by DL4J, no gradient");
            assertThat(attrDouble(row, "data-update-norm")).isCloseTo(change, within(1e-9 * change));
            assertThat(attrDouble(row, "data-param-norm")).isCloseTo(norm, within(1e-12 * norm));
            assertThat(driver.findElements(By.cssSelector("#gm-layers tr.gm-moved"))).hasSize(1);
            assertThat(driver.findElements(By.cssSelector("#gm-layers tr.gm-layer"))).hasSize(2);

            Path report = dir.resolve("centers.html");
            GradientReport.writeHtml(storage, report);
            driver.get(report.toUri().toString());
            WebElement inReport = await().until(d -> d.findElements(By.cssSelector(
                    "#gm-layers tr.gm-moved[data-param=cL]")).stream().findFirst().orElse(null));
            assertThat(attrDouble(inReport, "data-update-norm")).isCloseTo(change, within(1e-9 * change));
        } finally {
            server.detach(storage);
        }
    }

    @Test
    void marksTheStepsOfLayerWisePretrainingWithThePretrainedLayer() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(7)
                .dataType(DataType.DOUBLE).updater(new Sgd(0.05)).weightInit(WeightInit.XAVIER).list()
                .layer(new VariationalAutoencoder.Builder().name("vae").nIn(4).nOut(2).encoderLayerSizes(6)
                        .decoderLayerSizes(6).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nIn(2).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        GradientStatsSink sink = GradientStatsSink.to(storage, "pretraining");
        // setListeners, not addListeners: only the former hands the listeners to the layers, which pretraining calls
        net.setListeners(GradientMonitor.builder().logAlerts(false).onSnapshot(sink).onAlert(sink).build());
        List<DataSet> batches = List.of(batch(10), batch(11), batch(12));
        net.pretrain(new ListDataSetIterator<>(batches, 1)); // worker 0: the VAE layer on its own, seen first
        for (DataSet b : batches) {
            net.fit(b);                                      // worker 1: the network
        }
        assertThat(storage.listWorkerIDsForSession("pretraining")).containsExactlyInAnyOrder("0", "1");

        server.attach(storage);
        try {
            driver.get(url("/gradmon?session=pretraining&worker=0"));
            await().until(d -> d.findElement(By.id("gm-footer")).getText().contains("worker 0"));
            WebElement note = driver.findElement(By.id("gm-pretraining"));
            assertThat(note.isDisplayed()).isTrue();
            assertThat(note.getAttribute("data-layers")).isEqualTo("vae");
            assertThat(note.getText()).contains("pretraining", "layer vae");
            assertThat(driver.findElement(By.id("gm-summary")).getText())
                    .containsIgnoringCase("latest pretraining step of layer vae");

            driver.get(url("/gradmon?session=pretraining&worker=1"));
            await().until(d -> d.findElement(By.id("gm-footer")).getText().contains("worker 1"));
            assertThat(driver.findElement(By.id("gm-pretraining")).isDisplayed()).isFalse();
            assertThat(driver.findElement(By.id("gm-summary")).getText()).doesNotContainIgnoringCase("pretraining");
        } finally {
            server.detach(storage);
        }
    }

    @Test
    void saysWhichLayersALayerFilterLeftOutWithTheirGradientNormOnThePageAndInTheReport() throws IOException {
        double lr = 0.1;
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .dataType(DataType.DOUBLE).updater(new Sgd(lr)).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nIn(5).nOut(5).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        GradientStatsSink sink = GradientStatsSink.to(storage, "filtered");
        // unnamed MultiLayerNetwork layers are layer0, layer1, layer2: watch the output layer only
        net.addListeners(GradientMonitor.builder().layers("layer2").logAlerts(false).onSnapshot(sink).onAlert(sink)
                .build());
        for (int i = 0; i < 3; i++) {
            net.fit(batch(20 + i));
        }
        double[] before = unwatchedParams(net);
        net.fit(batch(23));
        double[] after = unwatchedParams(net);
        // plain SGD, no regularization: (p_before - p_after) / lr is the batch-averaged gradient (docs/statistics.md)
        double expected = normOfDifference(before, after) / lr;
        assertThat(expected).isPositive();

        server.attach(storage);
        try {
            driver.get(url("/gradmon?session=filtered&worker=0"));
            WebElement line = await().until(d -> d.findElements(By.cssSelector("#gm-unwatched[data-layer-count]"))
                    .stream().findFirst().orElse(null));
            assertThat(line.isDisplayed()).isTrue();
            assertThat(line.getText()).startsWith("Layer filter: layers=[layer2] \u2014 2 layers (55 parameters) "
                    + "not shown; their gradient norm ").endsWith(", NaN/Inf 0");
            assertThat(line.getAttribute("data-layer-count")).isEqualTo("2");
            assertThat(line.getAttribute("data-param-count")).isEqualTo("55"); // 4x5+5 and 5x5+5
            assertThat(attrDouble(line, "data-gradient-norm")).isCloseTo(expected, within(1e-9 * expected));
            assertThat(driver.findElements(By.cssSelector("#gm-layers tr.gm-layer"))).hasSize(1);

            Path report = dir.resolve("filtered.html");
            GradientReport.writeHtml(storage, report);
            driver.get(report.toUri().toString());
            WebElement inReport = await().until(d -> d.findElements(By.cssSelector(
                    "#gm-unwatched[data-layer-count]")).stream().findFirst().orElse(null));
            assertThat(attrDouble(inReport, "data-gradient-norm")).isCloseTo(expected, within(1e-9 * expected));
        } finally {
            server.detach(storage);
        }
    }

    /** The parameters of the unwatched layers layer0 and layer1, copied. */
    private static double[] unwatchedParams(MultiLayerNetwork net) {
        double[] a = net.getLayer(0).params().dup().data().asDouble();
        double[] b = net.getLayer(1).params().dup().data().asDouble();
        double[] all = new double[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
