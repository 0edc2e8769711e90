package io.github.dl4jgradmon.samples;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;
import io.github.dl4jgradmon.stats.ParamGradientStats;
import io.github.dl4jgradmon.ui.GradientStatsSink;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
            ParamGradientStats w = new ParamGradientStats(10, 0.1, 0.01, 0.05, 0, 0, 0, 1, 0.001, 0.001);
            LayerGradientStats layer = new LayerGradientStats("dense0", 0, "DenseLayer", 0.1, 1, 0.001,
                    Map.of("W", w));
            sink.onSnapshot(new GradientSnapshot("0", i, 0, 1.0, 8, 0.1, 1_000 + i, List.of(layer)));
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
}
