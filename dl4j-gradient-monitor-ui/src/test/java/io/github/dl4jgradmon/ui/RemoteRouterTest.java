package io.github.dl4jgradmon.ui;

import org.deeplearning4j.core.storage.StatsStorageEvent;
import org.deeplearning4j.core.storage.StatsStorageListener;
import org.deeplearning4j.core.storage.impl.RemoteUIStatsStorageRouter;
import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The UI server end to end, without a browser: remote posting, coexistence with StatsListener, the JSON routes. */
class RemoteRouterTest {

    private static VertxUIServer server;
    private static InMemoryStatsStorage received;

    @BeforeAll
    static void start() {
        server = UiServers.start();
        received = new InMemoryStatsStorage();
        server.enableRemoteListener(received, true);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        UiServers.stop(server);
    }

    private static String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + server.getPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return r.body();
    }

    @Test
    void postsRecordsToARemoteUiServerThatDecodesThemByClassName() throws Exception {
        CountDownLatch alertArrived = new CountDownLatch(1);
        StatsStorageListener listener = event -> {
            if (event.getEventType() == StatsStorageListener.EventType.PostUpdate
                    && GradientMonitorRecord.TYPE_ID.equals(event.getTypeID())
                    && received.getLatestUpdate(event.getSessionID(), event.getTypeID(), event.getWorkerID())
                    instanceof GradientAlertRecord) {
                alertArrived.countDown();
            }
        };
        received.registerStatsStorageListener(listener);
        RemoteUIStatsStorageRouter router = new RemoteUIStatsStorageRouter("http://localhost:" + server.getPort());
        try {
            GradientStatsSink sink = GradientStatsSink.to(router, "remote-session");
            for (int i = 0; i < 5; i++) {
                sink.onSnapshot(Fixtures.snapshot("0", i, 50_000, "in", "out"));
            }
            sink.onAlert(Fixtures.vanishing("0", 4, "in"));

            assertThat(alertArrived.await(30, TimeUnit.SECONDS)).as("alert received by the server").isTrue();
        } finally {
            router.shutdown();
            received.deregisterStatsStorageListener(listener);
        }
        assertThat(received.getStaticInfo("remote-session", GradientMonitorRecord.TYPE_ID, "0"))
                .isInstanceOf(GradientStaticInfo.class);
        assertThat(received.getAllUpdateTimes("remote-session", GradientMonitorRecord.TYPE_ID, "0"))
                .containsExactly(50_000, 50_001, 50_002, 50_003, 50_004, 50_005);

        String data = get("/gradmon/data/remote-session/0");
        assertThat(data).contains("\"layers\":[{\"name\":\"in\"", "\"totalPoints\":5", "\"type\":\"VANISHING\"");
        assertThat(get("/gradmon/sessions")).contains("\"id\":\"remote-session\"");
    }

    @Test
    void sharesASessionWithDl4jsStatsListenerAndServesThePageAndItsAssets() throws Exception {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        server.attach(storage);
        try {
            StatsListener stats = new StatsListener(storage, 10);
            stats.setSessionID("shared-session");
            GradientStatsSink sink = GradientStatsSink.to(storage, "shared-session");
            DeepSigmoidRun.train(List.of(sink), stats);

            assertThat(storage.listTypeIDsForSession("shared-session"))
                    .contains(GradientMonitorRecord.TYPE_ID, StatsListener.TYPE_ID);
            assertThat(storage.getNumUpdateRecordsFor("shared-session", GradientMonitorRecord.TYPE_ID, "0"))
                    .isGreaterThan(DeepSigmoidRun.ITERATIONS);
            assertThat(get("/gradmon")).contains("<title>Gradient monitor", "/assets/gradmon/gradmon.js");
            assertThat(get("/assets/gradmon/gradmon.js")).contains("textContent");
            assertThat(get("/assets/gradmon/gradmon.css")).contains(".gm-card");
            assertThat(get("/gradmon/data/shared-session/0")).contains("\"totalPoints\":60", "VANISHING");
        } finally {
            server.detach(storage);
        }
    }
}
