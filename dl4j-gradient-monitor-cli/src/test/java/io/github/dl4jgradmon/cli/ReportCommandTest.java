package io.github.dl4jgradmon.cli;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;
import io.github.dl4jgradmon.stats.ParamGradientStats;
import io.github.dl4jgradmon.ui.GradientStatsSink;
import io.github.dl4jgradmon.ui.GradientUpdate;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.deeplearning4j.ui.model.storage.sqlite.J7FileStatsStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ReportCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    private static void record(GradientStatsSink sink) {
        for (int i = 0; i < 3; i++) {
            sink.onSnapshot(snapshot(i));
        }
        sink.onAlert(new GradientAlert(AlertType.VANISHING, Severity.WARNING, "0", 2, "dense0", Optional.empty(),
                1e-9, 1e-7, "tiny gradient", "use ReLU"));
    }

    @Test
    void writesAReportFromAFileStatsStorage() throws IOException {
        Path in = dir.resolve("stats.bin");
        FileStatsStorage storage = new FileStatsStorage(in.toFile());
        record(GradientStatsSink.to(storage));
        storage.close();
        Path out = dir.resolve("out/report.html");

        int code = ReportCommand.run(new String[] {"--in", in.toString(), "--out", out.toString()}, err);

        assertThat(code).as(err()).isZero();
        assertThat(Files.readString(out)).contains("gradmon-data", "tiny gradient", "use ReLU");
    }

    @Test
    void writesAReportFromASqliteStatsStorage() throws IOException {
        Path in = dir.resolve("stats.db");
        J7FileStatsStorage storage = new J7FileStatsStorage(in.toFile());
        record(GradientStatsSink.to(storage));
        storage.close();
        Path out = dir.resolve("report.html");

        assertThat(ReportCommand.run(new String[] {"--in", in.toString(), "--out", out.toString()}, err))
                .as(err()).isZero();
        assertThat(Files.readString(out)).contains("tiny gradient");
    }

    @Test
    void refusesAnOutputThatIsTheInputOrALinkToItAndLeavesTheStatsFileAlone() throws IOException {
        Path in = dir.resolve("stats.bin");
        FileStatsStorage storage = new FileStatsStorage(in.toFile());
        record(GradientStatsSink.to(storage));
        storage.close();
        byte[] original = Files.readAllBytes(in);
        Path symlink = Files.createSymbolicLink(dir.resolve("link.html"), in);
        Path hardLink = Files.createLink(dir.resolve("hard.html"), in);
        Path dotted = dir.resolve("sub/../stats.bin");
        Files.createDirectories(dir.resolve("sub"));

        for (Path out : List.of(in, symlink, hardLink, dotted)) {
            errBytes.reset();
            int code = ReportCommand.run(new String[] {"--in", in.toString(), "--out", out.toString()}, err);

            assertThat(code).as(err()).isEqualTo(2);
            assertThat(err()).startsWith("report: --out " + out + " is the --in file " + in)
                    .contains("choose another --out").hasLineCount(1);
            assertThat(Files.readAllBytes(in)).as("stats file after --out %s", out).isEqualTo(original);
        }
    }

    @Test
    void exitsWithTwoAndOneLineOnBadInput() throws IOException {
        Path garbage = Files.write(dir.resolve("garbage.bin"), "this is not a stats file".repeat(100).getBytes());
        Path empty = Files.createFile(dir.resolve("empty.bin"));
        Path out = dir.resolve("r.html");

        assertThat(ReportCommand.run(new String[] {"--out", out.toString()}, err)).isEqualTo(2);
        assertThat(ReportCommand.run(new String[] {"--in", dir.resolve("missing.bin").toString(), "--out",
                out.toString()}, err)).isEqualTo(2);
        assertThat(ReportCommand.run(new String[] {"--in", garbage.toString(), "--out", out.toString()}, err))
                .isEqualTo(2);
        assertThat(ReportCommand.run(new String[] {"--in", empty.toString(), "--out", out.toString()}, err))
                .isEqualTo(2);
        assertThat(ReportCommand.run(new String[] {"--bogus"}, err)).isEqualTo(2);

        assertThat(err().lines()).containsExactly(
                "report: --in is missing; " + ReportCommand.USAGE,
                "report: --in " + dir.resolve("missing.bin") + " is not a readable file",
                err().lines().toList().get(2),
                "report: --in " + empty + " is not a DL4J stats file (IOException: the file is empty)",
                "report: unexpected argument '--bogus'; " + ReportCommand.USAGE);
        assertThat(err().lines().toList().get(2)).startsWith("report: --in " + garbage + " is not a DL4J stats file");
        assertThat(out).doesNotExist();
    }

    @Test
    void exitsWithTwoWhenTheFileHoldsNoGradientMonitorRecords() throws IOException {
        Path in = dir.resolve("other.bin");
        new FileStatsStorage(in.toFile()).close();

        int code = ReportCommand.run(new String[] {"--in", in.toString(), "--out", dir.resolve("r.html").toString()},
                err);

        assertThat(code).isEqualTo(2);
        assertThat(err()).startsWith("report: --in " + in + ": no GradientMonitor records in this storage");
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static List<String> listing(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private Path recordedFile(String name) {
        Path in = dir.resolve(name);
        FileStatsStorage storage = new FileStatsStorage(in.toFile());
        record(GradientStatsSink.to(storage, "session-1"));
        storage.close();
        return in;
    }

    @Test
    void neverChangesItsInputNeitherASqliteFileOfTheUserNorAStatsFile() throws Exception {
        Path mine = dir.resolve("mine.sqlite");
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + mine);
             var st = c.createStatement()) {
            st.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)");
            st.execute("INSERT INTO notes (text) VALUES ('keep me as I am')");
        }
        Path stats = recordedFile("stats.bin");
        Path sqliteStats = dir.resolve("stats.db");
        J7FileStatsStorage j7 = new J7FileStatsStorage(sqliteStats.toFile());
        record(GradientStatsSink.to(j7));
        j7.close();
        Map<Path, String> before = new LinkedHashMap<>();
        for (Path p : List.of(mine, stats, sqliteStats)) {
            before.put(p, sha256(p));
        }
        List<String> filesBefore = listing(dir);

        int onMine = ReportCommand.run(new String[] {"--in", mine.toString(), "--out", dir.resolve("a.html") + ""}, err);
        int onStats = ReportCommand.run(new String[] {"--in", stats.toString(), "--out", dir.resolve("b.html") + ""},
                err);
        int onSqlite = ReportCommand.run(new String[] {"--in", sqliteStats.toString(), "--out",
                dir.resolve("c.html") + ""}, err);

        assertThat(onMine).as(err()).isEqualTo(2);
        assertThat(onStats).as(err()).isZero();
        assertThat(onSqlite).as(err()).isZero();
        for (Map.Entry<Path, String> e : before.entrySet()) {
            assertThat(sha256(e.getKey())).as("SHA-256 of %s", e.getKey()).isEqualTo(e.getValue());
        }
        List<String> expected = new ArrayList<>(filesBefore);
        expected.addAll(List.of("b.html", "c.html"));
        expected.sort(null);
        assertThat(listing(dir)).as("no file added next to the inputs").isEqualTo(expected);
    }

    @Test
    void aFileCorruptedAtTheStorageLevelGivesOneLineAndExitCodeTwo() throws Exception {
        Path good = recordedFile("good.bin");
        byte[] bytes = Files.readAllBytes(good);
        Random random = new Random(7);
        List<byte[]> corruptions = new ArrayList<>();
        corruptions.add(Arrays.copyOf(bytes, bytes.length / 2));           // cut in half
        for (int variant = 0; variant < 6; variant++) {                              // a block overwritten
            byte[] b = bytes.clone();
            int from = 16 + random.nextInt(b.length - 4_096 - 16);
            for (int i = from; i < from + 4_096 && i < b.length; i++) {
                b[i] = (byte) (variant % 2 == 0 ? 0xff : random.nextInt(256));
            }
            corruptions.add(b);
        }
        for (int variant = 0; variant < 6; variant++) {                              // the header and index
            byte[] b = bytes.clone();
            int from = variant * 8;
            for (int i = from; i < from + 8; i++) {
                b[i] = (byte) (variant % 2 == 0 ? 0xff : random.nextInt(256));
            }
            corruptions.add(b);
        }
        for (int i = 0; i + 1 < bytes.length; i++) {                                // Java-serialized keys
            if (bytes[i] == (byte) 0xac && bytes[i + 1] == (byte) 0xed) {
                byte[] b = bytes.clone();
                for (int j = i + 6; j < Math.min(b.length, i + 40); j++) {
                    b[j] = (byte) 0x7f;
                }
                corruptions.add(b);
            }
        }
        int n = 0;
        PrintStream stderr = System.err;
        ByteArrayOutputStream systemErr = new ByteArrayOutputStream();
        for (byte[] corrupt : corruptions) {
            Path in = Files.write(dir.resolve("corrupt" + n++ + ".bin"), corrupt);
            Path out = dir.resolve("corrupt.html");
            errBytes.reset();
            systemErr.reset();

            int code;
            System.setErr(new PrintStream(systemErr, true, StandardCharsets.UTF_8));
            try {
                code = ReportCommand.run(new String[] {"--in", in.toString(), "--out", out.toString()}, err);
            } finally {
                System.setErr(stderr);
            }

            assertThat(systemErr.toString(StandardCharsets.UTF_8)).as(in + ": no stack trace").doesNotContain("\tat ");
            assertThat(err().lines()).as(in.toString()).hasSize(1);
            if (code == 0) {   // the damage hit only records: they are skipped and counted
                assertThat(err()).as(in.toString()).contains("report: wrote ");
            } else {
                assertThat(code).as(err()).isEqualTo(2);
                assertThat(err()).startsWith("report: --in " + in + " ");
            }
        }
    }

    @Test
    void skipsACorruptRecordCountsItAndReportsTheRest() throws Exception {
        Path in = recordedFile("one-bad-record.bin");
        byte[] bytes = Files.readAllBytes(in);
        // the second snapshot's record as the sink stored it: find its bytes in the file and break one
        byte[] second = GradientUpdate.of("session-1", snapshot(1), 1_001).encode();
        int at = indexOf(bytes, second);
        assertThat(at).as("the record's bytes are in the file").isPositive();
        bytes[at + second.length / 2] ^= 0x20;
        Files.write(in, bytes);
        Path out = dir.resolve("skipped.html");

        int code = ReportCommand.run(new String[] {"--in", in.toString(), "--out", out.toString()}, err);

        assertThat(code).as(err()).isZero();
        assertThat(err().lines()).hasSize(1);
        assertThat(err()).contains("skipped 1 corrupt record");
        assertThat(Files.readString(out)).contains("\"totalPoints\":2", "tiny gradient");
    }

    @Test
    void writesAReportWhenALayerNameHoldsALoneSurrogate() throws IOException {
        Path in = dir.resolve("lone.bin");
        FileStatsStorage storage = new FileStatsStorage(in.toFile());
        GradientStatsSink sink = GradientStatsSink.to(storage);
        ParamGradientStats w = new ParamGradientStats(10, 0.1, 0.01, 0.05, 0, 0, 0, 1, 0.001, 0.001);
        sink.onSnapshot(new GradientSnapshot("0", 0, 0, 1.0, 8, 0.1, 1_000, List.of(
                new LayerGradientStats("dense\uD800", 0, "DenseLayer", 0.1, 1, 0.001, Map.of("W", w)))));
        storage.close();
        Path out = dir.resolve("lone.html");

        int code = ReportCommand.run(new String[] {"--in", in.toString(), "--out", out.toString()}, err);

        assertThat(code).as(err()).isZero();
        assertThat(Files.readString(out, StandardCharsets.UTF_8)).contains("dense\\ud800");
    }

    private static GradientSnapshot snapshot(int i) {
        ParamGradientStats w = new ParamGradientStats(10, 0.1, 0.01, 0.05, 0, 0, 0, 1, 0.001, 0.001);
        LayerGradientStats layer = new LayerGradientStats("dense0", 0, "DenseLayer", 0.1, 1, 0.001, Map.of("W", w));
        return new GradientSnapshot("0", i, 0, 1.0, 8, 0.1, 1_000 + i, List.of(layer));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
