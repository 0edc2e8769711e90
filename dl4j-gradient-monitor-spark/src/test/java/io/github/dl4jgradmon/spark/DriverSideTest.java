package io.github.dl4jgradmon.spark;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.alert.GradientAlertException;
import io.github.dl4jgradmon.alert.StopTrainingHandler;
import io.github.dl4jgradmon.ui.GradientAlertRecord;
import io.github.dl4jgradmon.ui.GradientMonitorRecord;
import io.github.dl4jgradmon.ui.GradientUpdate;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The driver side without Spark: builder checks, the router's reading and forwarding, bounded history, faults. */
class DriverSideTest {

    private static GradientAlert alert(String worker, AlertType type, long iteration, String layer) {
        return new GradientAlert(type, Severity.CRITICAL, worker, iteration, layer, Optional.of("W"), 3, 0,
                "message " + iteration, "hint");
    }

    @Test
    void builderNamesTheOptionAndTheBadValue() {
        assertThatThrownBy(() -> SparkGradientMonitor.builder().alertHistorySize(0))
                .hasMessage("alertHistorySize must be >= 1 (got: 0)");
        assertThatThrownBy(() -> SparkGradientMonitor.builder().sessionId(" "))
                .hasMessage("sessionId must not be blank (got: ' ')");
        assertThatThrownBy(() -> SparkGradientMonitor.builder().sessionId("bob's run"))
                .hasMessageStartingWith("sessionId must not contain a single quote (')");
        assertThatThrownBy(() -> SparkGradientMonitor.builder().worker(null))
                .hasMessageStartingWith("worker config must not be null");
        assertThatThrownBy(() -> SparkGradientMonitor.builder().statsStorage(null))
                .hasMessageStartingWith("statsStorage must not be null");
        assertThatThrownBy(() -> SparkGradientMonitor.builder().onAlert(null))
                .hasMessage("onAlert handler must not be null");
    }

    @Test
    void everyBuilderOptionReachesTheMonitor() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        List<GradientAlert> seen = new ArrayList<>();
        SparkGradientMonitor m = SparkGradientMonitor.builder().sessionId("run-7").statsStorage(storage)
                .alertHistorySize(2).logAlerts(false).onAlert(seen::add).build();
        assertThat(m.sessionId()).isEqualTo("run-7");
        assertThat(m.statsStorage()).containsSame(storage);
        assertThat(m.listener()).isInstanceOf(SparkWorkerListener.class);
        for (int i = 0; i < 3; i++) {
            m.router().putUpdate(new GradientAlertRecord("run-7", alert("driver-p" + i, AlertType.NON_FINITE, i,
                    "dense"), 1_000 + i));
        }
        assertThat(seen).hasSize(3);
        assertThat(m.alertCount()).isEqualTo(3);
        assertThat(m.alerts()).extracting(GradientAlert::workerId).containsExactly("driver-p1", "driver-p2");
        assertThat(m.alerts("driver-p2")).singleElement().satisfies(a -> {
            assertThat(a.layer()).isEqualTo("dense");
            assertThat(a.param()).contains("W");
            assertThat(a.iteration()).isEqualTo(2);
        });
        assertThat(m.summary().alert(AlertType.NON_FINITE)).hasValueSatisfying(a -> {
            assertThat(a.count()).isEqualTo(3);
            assertThat(a.workers()).containsExactly("driver-p0", "driver-p1", "driver-p2");
            assertThat(a.firstWorker()).isEqualTo("driver-p0");
        });
        assertThat(storage.getAllUpdatesAfter("run-7", GradientMonitorRecord.TYPE_ID, "driver-p2", 0)).hasSize(1);
    }

    @Test
    void recordsOfOtherSessionsPassThroughUnread() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        SparkGradientMonitor m = SparkGradientMonitor.builder().sessionId("mine").statsStorage(storage)
                .logAlerts(false).build();
        m.router().putUpdate(List.of(new GradientAlertRecord("other", alert("x", AlertType.EXPLODING, 0, "d"), 5)));
        assertThat(m.alerts()).isEmpty();
        assertThat(storage.getAllUpdatesAfter("other", GradientMonitorRecord.TYPE_ID, "x", 0)).hasSize(1);
    }

    @Test
    void aFailingDriverHandlerIsContainedButAStopRequestEndsFit() {
        SparkGradientMonitor m = SparkGradientMonitor.builder().sessionId("s").logAlerts(false)
                .onAlert(a -> {
                    throw new IllegalStateException("handler bug");
                }).build();
        m.router().putUpdate(new GradientAlertRecord("s", alert("w", AlertType.NON_FINITE, 0, "d"), 1));
        m.router().putUpdate(new GradientAlertRecord("s", alert("w", AlertType.NON_FINITE, 1, "d"), 2));
        assertThat(m.alertCount()).isEqualTo(2);

        SparkGradientMonitor stopping = SparkGradientMonitor.builder().sessionId("s").logAlerts(false)
                .onAlert(StopTrainingHandler.onNonFinite()).build();
        assertThatThrownBy(() -> stopping.router().putUpdate(
                new GradientAlertRecord("s", alert("driver-p1", AlertType.NON_FINITE, 4, "d"), 1)))
                .isInstanceOf(GradientAlertException.class);
    }

    @Test
    void aDriverHandlerThatThrowsAnErrorIsContainedAndCounted() {
        SparkGradientMonitor m = SparkGradientMonitor.builder().sessionId("s").logAlerts(false)
                .onAlert(a -> {
                    throw new AssertionError("handler assertion");
                })
                .onAlert(a -> {
                    throw new NoClassDefFoundError("missing/Dependency");
                }).build();
        m.router().putUpdate(new GradientAlertRecord("s", alert("w", AlertType.NON_FINITE, 0, "d"), 1));
        m.router().putUpdate(List.of(new GradientAlertRecord("s", alert("w", AlertType.NON_FINITE, 1, "d"), 2)));
        assertThat(m.alertCount()).isEqualTo(2);
        assertThat(m.faultCount()).isEqualTo(4);
    }

    @Test
    void theDriverLedgerStaysBoundedHoweverManyWorkerSeriesReport() {
        SparkGradientMonitor m = SparkGradientMonitor.builder().sessionId("many").logAlerts(false).build();
        int series = DriverLedger.MAX_WORKER_SERIES + 5_000;
        for (int i = 0; i < series; i++) {
            m.router().putUpdate(new GradientUpdate("many", "exec-p" + i, i, 0, 0, 1, Map.of(), List.of(),
                    List.of()));
            m.router().putUpdate(new GradientAlertRecord("many", alert("exec-p" + i, AlertType.EXPLODING, i, "d"),
                    i));
        }
        RunSummary summary = m.summary();
        assertThat(summary.snapshotsPerWorker()).hasSize(DriverLedger.MAX_WORKER_SERIES + 1)
                .containsEntry("exec-p0", 1L)
                .containsEntry(DriverLedger.OTHER_SERIES, 5_000L);
        assertThat(summary.snapshots()).isEqualTo(series);
        assertThat(summary.alert(AlertType.EXPLODING)).hasValueSatisfying(a -> {
            assertThat(a.count()).isEqualTo(series);
            assertThat(a.workers()).hasSize(DriverLedger.MAX_WORKER_SERIES + 1).contains(DriverLedger.OTHER_SERIES);
        });
        assertThat(summary.workers()).hasSize(DriverLedger.MAX_WORKER_SERIES + 1);
    }

    @Test
    void aWorkerConfigThatFailsDisablesTheMonitorOnThatWorkerAndTrainingGoesOn() {
        SparkWorkerListener listener = new SparkWorkerListener("s", b -> null);
        MultiLayerNetwork net = SparkFixtures.initMlp();
        net.setListeners(listener);
        net.fit(SparkFixtures.batch(1));
        net.fit(SparkFixtures.batch(2));
        assertThat(net.getIterationCount()).isEqualTo(2);
    }

    @Test
    void outsideASparkTaskTheSeriesIsTheFallbackAndTheClockStrictlyIncreases() {
        assertThat(SeriesNames.current("local")).isEqualTo("local");
        assertThat(SeriesNames.current("exec'1")).isEqualTo("exec_1");
        String key = "clock-test";
        long a = SeriesClock.snapshot(key, 1_000);
        long b = SeriesClock.snapshot(key, 1_000);
        SeriesClock.alert(key); // the sink stamps it b + 1
        long c = SeriesClock.snapshot(key, 1_000);
        assertThat(List.of(a, b, c)).containsExactly(1_000L, 1_001L, 1_003L);
        assertThat(SeriesClock.snapshot(key, 5_000)).isEqualTo(5_000);
    }

    @Test
    void runSummaryTextNamesWorkersAndTypes() {
        SparkGradientMonitor m = SparkGradientMonitor.builder().sessionId("t").logAlerts(false).build();
        m.router().putUpdate(new GradientAlertRecord("t", alert("3-p0", AlertType.EXPLODING, 12, ""), 1));
        assertThat(m.summary().toText()).contains("1 worker series", "EXPLODING", "on 1 of 1 workers [3-p0]",
                "first at iteration 12 on 3-p0 ((model))");
    }
}
