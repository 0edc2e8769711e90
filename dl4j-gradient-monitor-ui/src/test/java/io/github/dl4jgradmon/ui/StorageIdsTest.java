package io.github.dl4jgradmon.ui;

import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.deeplearning4j.ui.model.storage.sqlite.J7FileStatsStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Session and worker IDs never break DL4J's SQLite storage, which pastes them into its SQL between quotes. */
class StorageIdsTest {

    @TempDir
    Path dir;

    @Test
    void aSessionIdWithAQuoteIsRejectedWhereItIsSetNamingTheOptionAndTheValue() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        assertThatThrownBy(() -> GradientStatsSink.to(storage, "bob's run"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sessionId must not contain a single quote ('), because DL4J's SQLite stats storage "
                        + "(J7FileStatsStorage) builds its queries from it (got: 'bob's run')");
        assertThatThrownBy(() -> GradientStatsSink.to(storage, "run\n2"))
                .hasMessageStartingWith("sessionId must not contain a control character (U+000A)");
        assertThatThrownBy(() -> GradientStatsSink.to(storage, " "))
                .hasMessage("sessionId must not be blank (got: ' ')");
    }

    @Test
    void aSessionIdOfTheLongestLengthIsAcceptedAndOneMoreIsNot() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        String longest = "s".repeat(StorageIds.MAX_LENGTH);
        assertThat(GradientStatsSink.to(storage, longest).sessionId()).isEqualTo(longest);
        assertThatThrownBy(() -> GradientStatsSink.to(storage, longest + "s"))
                .hasMessage("sessionId must be at most 256 characters (got: 257)");
        assertThat(GradientStatsSink.to(storage, "run \"7\" \\ ü").sessionId()).isEqualTo("run \"7\" \\ ü");
    }

    @Test
    void sanitizeReplacesQuotesAndControlCharactersAndCutsToTheLongestLength() {
        assertThat(StorageIds.sanitize("exec'1\u0000-p0")).isEqualTo("exec_1_-p0");
        assertThat(StorageIds.sanitize("")).isEqualTo("_");
        assertThat(StorageIds.sanitize("w".repeat(300))).hasSize(StorageIds.MAX_LENGTH);
        assertThat(StorageIds.sanitize("3-p1")).isEqualTo("3-p1");
    }

    /** A worker ID the user did not choose (here with a quote) is stored safely: the SQLite file stays readable. */
    @Test
    void aWorkerIdWithAQuoteLeavesASqliteFileReadable() throws Exception {
        File file = dir.resolve("stats.db").toFile();
        J7FileStatsStorage storage = new J7FileStatsStorage(file);
        GradientStatsSink sink = GradientStatsSink.to(storage, "session-1");
        sink.onSnapshot(Fixtures.snapshot("exec'1-p0", 0, 1_000, "dense"));
        sink.onSnapshot(Fixtures.snapshot("exec'1-p0", 1, 1_001, "dense"));
        sink.onAlert(Fixtures.vanishing("exec'1-p0", 1, "dense"));
        storage.close();

        J7FileStatsStorage reopened = new J7FileStatsStorage(file);
        try {
            assertThat(reopened.listSessionIDs()).containsExactly("session-1");
            List<String> workers = reopened.listWorkerIDsForSessionAndType("session-1",
                    GradientMonitorRecord.TYPE_ID);
            assertThat(workers).containsExactly("exec_1-p0");
            List<Persistable> updates = reopened.getAllUpdatesAfter("session-1", GradientMonitorRecord.TYPE_ID,
                    "exec_1-p0", 0);
            assertThat(updates).hasSize(3);
            assertThat(updates).filteredOn(p -> p instanceof GradientUpdate).extracting(
                    p -> ((GradientUpdate) p).iteration()).containsExactlyInAnyOrder(0L, 1L);
            GradientReport.Summary summary = GradientReport.writeHtml(reopened, dir.resolve("report.html"));
            assertThat(summary.snapshots()).isEqualTo(2);
            assertThat(summary.skippedRecords()).isZero();
        } finally {
            reopened.close();
        }
    }
}
