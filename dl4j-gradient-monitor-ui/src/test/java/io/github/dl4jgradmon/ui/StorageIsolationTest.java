package io.github.dl4jgradmon.ui;

import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 12 item 7: one failing storage attached to the real UI server does not take the page down. */
class StorageIsolationTest {

    private static VertxUIServer server;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        server = UiServers.start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        UiServers.stop(server);
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + server.getPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aClosedFileStorageStillAttachedIsNamedAndTheOtherStoragesAreServed() throws Exception {
        Path file = dir.resolve("closed.bin");
        FileStatsStorage closed = new FileStatsStorage(file.toFile());
        GradientStatsSink.to(closed, "on-file").onSnapshot(Fixtures.snapshot("0", 0, 1_000, "a"));
        InMemoryStatsStorage healthy = new InMemoryStatsStorage();
        GradientStatsSink sink = GradientStatsSink.to(healthy, "in-memory");
        for (int i = 0; i < 3; i++) {
            sink.onSnapshot(Fixtures.snapshot("0", i, 2_000 + i, "a", "b"));
        }
        server.attach(closed);
        server.attach(healthy);
        closed.close();
        try {
            HttpResponse<String> sessions = get("/gradmon/sessions");
            HttpResponse<String> data = get("/gradmon/data/in-memory/0");
            HttpResponse<String> missing = get("/gradmon/data/on-file/0");

            assertThat(sessions.statusCode()).isEqualTo(200);
            assertThat(sessions.body()).contains("\"id\":\"in-memory\"", "\"storageErrors\":[",
                    "FileStatsStorage(" + file);
            assertThat(data.statusCode()).isEqualTo(200);
            assertThat(data.body()).contains("\"totalPoints\":3");
            assertThat(missing.statusCode()).isEqualTo(200);
            assertThat(missing.body()).contains("\"error\":\"no GradientMonitor records for session 'on-file'",
                    "FileStatsStorage(" + file);
        } finally {
            server.detach(healthy);
            detachClosed(closed);
        }
    }

    @Test
    void logsAFailingStorageAtMostOnceAMinute() throws Exception {
        FileStatsStorage closed = new FileStatsStorage(dir.resolve("logged.bin").toFile());
        closed.close();
        AtomicLong now = new AtomicLong();
        GradientMonitorModule module = new GradientMonitorModule(now::get);
        module.onAttach(closed);
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            for (int i = 0; i < 5; i++) {
                module.sessionsJson();
                module.dataJson("x", "0");
                now.addAndGet(GradientMonitorModule.WARN_INTERVAL_NANOS / 20);
            }
            now.addAndGet(GradientMonitorModule.WARN_INTERVAL_NANOS);
            module.sessionsJson();
        } finally {
            System.setErr(stderr);
        }

        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains("cannot be read")).toList();
        assertThat(lines).hasSize(2).allSatisfy(l -> assertThat(l).contains("FileStatsStorage(", "logged.bin"));
    }

    /** DL4J's own detach asks the storage for its sessions, which a closed MapDB storage cannot answer. */
    private static void detachClosed(FileStatsStorage closed) {
        try {
            server.detach(closed);
        } catch (RuntimeException expected) {
            assertThat(expected).hasRootCauseMessage("Stream Closed");
        }
    }
}
