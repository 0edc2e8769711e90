package io.github.dl4jgradmon.ui;

import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.deeplearning4j.ui.model.storage.sqlite.J7FileStatsStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StorageRoundTripTest {

    private static final String TYPE = GradientMonitorRecord.TYPE_ID;

    @TempDir
    Path dir;

    /** Three snapshots with the SAME timestamp and one alert, from worker "0"; one snapshot from worker "1". */
    private static String record(StatsStorage storage) {
        GradientStatsSink sink = GradientStatsSink.to(storage, "session-a");
        sink.onSnapshot(Fixtures.snapshot("0", 0, 5_000, "in", Fixtures.SCARY_NAME, "out"));
        sink.onSnapshot(Fixtures.snapshot("0", 1, 5_000, "in", Fixtures.SCARY_NAME, "out"));
        sink.onSnapshot(Fixtures.snapshot("0", 2, 5_000, "in", Fixtures.SCARY_NAME, "out"));
        sink.onAlert(Fixtures.vanishing("0", 2, "in"));
        sink.onSnapshot(Fixtures.snapshot("1", 0, 5_000, "in", Fixtures.SCARY_NAME, "out"));
        return sink.sessionId();
    }

    private static void assertRecorded(StatsStorage storage) {
        assertThat(storage.listSessionIDs()).containsExactly("session-a");
        assertThat(storage.listTypeIDsForSession("session-a")).containsExactly(TYPE);
        assertThat(storage.listWorkerIDsForSessionAndType("session-a", TYPE)).containsExactlyInAnyOrder("0", "1");
        assertThat(storage.getStorageMetaData("session-a", TYPE)).isNotNull();

        GradientStaticInfo info = (GradientStaticInfo) storage.getStaticInfo("session-a", TYPE, "0");
        assertThat(info.layers()).extracting(GradientStaticInfo.LayerInfo::name)
                .containsExactly("in", Fixtures.SCARY_NAME, "out");

        List<Persistable> all = storage.getAllUpdatesAfter("session-a", TYPE, "0", 0);
        assertThat(all).hasSize(4);
        assertThat(all).extracting(Persistable::getTimeStamp).containsExactly(5_000L, 5_001L, 5_002L, 5_003L);
        assertThat(all.subList(0, 3)).allSatisfy(p -> assertThat(p).isInstanceOf(GradientUpdate.class));
        assertThat(all.subList(0, 3)).extracting(p -> ((GradientUpdate) p).iteration()).containsExactly(0L, 1L, 2L);
        GradientUpdate last = (GradientUpdate) all.get(2);
        assertThat(last.layerValue(2, GradientUpdate.GRADIENT_NORM)).isEqualTo(1.02);
        assertThat(last.globalGradientNorm()).isEqualTo(3.0);
        GradientAlertRecord alert = (GradientAlertRecord) all.get(3);
        assertThat(alert.alertType()).isEqualTo("VANISHING");
        assertThat(alert.layer()).isEqualTo("in");
        assertThat(alert.param()).isEqualTo("W");
        assertThat(alert.hint()).contains("Activation.RELU");
        assertThat(storage.getAllUpdatesAfter("session-a", TYPE, "1", 0)).hasSize(1);
    }

    @Test
    void roundTripsThroughInMemoryStorage() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        record(storage);
        assertRecorded(storage);
    }

    @Test
    void roundTripsThroughFileStatsStorageAndReloadsAfterClose() throws IOException {
        Path file = dir.resolve("stats.bin");
        FileStatsStorage storage = new FileStatsStorage(file.toFile());
        record(storage);
        assertRecorded(storage);
        storage.close();

        FileStatsStorage reopened = new FileStatsStorage(file.toFile());
        try {
            assertRecorded(reopened);
        } finally {
            reopened.close();
        }
    }

    @Test
    void roundTripsThroughJ7FileStatsStorageAndReloadsAfterClose() throws IOException {
        Path file = dir.resolve("stats.db");
        J7FileStatsStorage storage = new J7FileStatsStorage(file.toFile());
        record(storage);
        assertRecorded(storage);
        storage.close();

        J7FileStatsStorage reopened = new J7FileStatsStorage(file.toFile());
        try {
            assertRecorded(reopened);
        } finally {
            reopened.close();
        }
    }

    @Test
    void keepsTimestampsStrictlyIncreasingWhenTheClockGoesBackwards() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        GradientStatsSink sink = GradientStatsSink.to(storage);
        long[] clock = {9_000, 9_000, 8_000, 9_001, 12_000};
        for (int i = 0; i < clock.length; i++) {
            sink.onSnapshot(Fixtures.snapshot("0", i, clock[i], "a"));
        }

        long[] times = storage.getAllUpdateTimes(sink.sessionId(), TYPE, "0");
        assertThat(times).containsExactly(9_000, 9_001, 9_002, 9_003, 12_000);
        assertThat(storage.getNumUpdateRecordsFor(sink.sessionId(), TYPE, "0")).isEqualTo(5);
    }

    @Test
    void refusesBadArguments() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        assertThatThrownBy(() -> GradientStatsSink.to(null))
                .hasMessage("router must not be null");
        assertThatThrownBy(() -> GradientStatsSink.to(storage, " "))
                .hasMessage("sessionId must not be blank (got: ' ')");
    }
}
