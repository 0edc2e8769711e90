package io.github.dl4jgradmon.samples;

import io.github.dl4jgradmon.ui.GradientReport;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.deeplearning4j.ui.model.storage.sqlite.J7FileStatsStorage;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code report --in stats.bin --out report.html}: turns a DL4J stats file recorded with a
 * {@code GradientStatsSink} (a {@code FileStatsStorage}, or a {@code J7FileStatsStorage} SQLite file) into one
 * self-contained HTML file.
 *
 * <p>Run: {@code mvn -q -pl samples -am compile exec:java -Dexec.args="report --in stats.bin --out report.html"}.
 * Exit code 0 when written, 2 on bad input (one line on stderr naming what is wrong).
 */
public final class ReportCommand {

    static final String USAGE = "usage: report --in <stats file> --out <report.html>";
    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private ReportCommand() {
    }

    public static void main(String[] args) {
        int code = run(args, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs the command; returns the exit code. Messages go to {@code err} (stdout carries native library noise). */
    static int run(String[] args, PrintStream err) {
        Path in = null;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ((a.equals("--in") || a.equals("--out")) && i + 1 < args.length) {
                Path p = Path.of(args[++i]);
                if (a.equals("--in")) {
                    in = p;
                } else {
                    out = p;
                }
            } else {
                err.println("report: unexpected argument '" + a + "'; " + USAGE);
                return 2;
            }
        }
        if (in == null || out == null) {
            err.println("report: " + (in == null ? "--in" : "--out") + " is missing; " + USAGE);
            return 2;
        }
        if (!Files.isRegularFile(in) || !Files.isReadable(in)) {
            err.println("report: --in " + in + " is not a readable file");
            return 2;
        }
        StatsStorage storage;
        try {
            storage = open(in);
        } catch (IOException | RuntimeException e) {
            err.println("report: --in " + in + " is not a DL4J stats file (" + e.getClass().getSimpleName() + ": "
                    + firstLine(e.getMessage()) + ")");
            return 2;
        }
        try {
            GradientReport.writeHtml(storage, out);
        } catch (IllegalArgumentException e) {
            err.println("report: --in " + in + ": " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("report: cannot write --out " + out + " (" + e.getMessage() + ")");
            return 2;
        } finally {
            try {
                storage.close();
            } catch (IOException | RuntimeException e) {
                err.println("report: warning: closing " + in + " failed (" + e.getMessage() + ")");
            }
        }
        err.println("report: wrote " + out.toAbsolutePath());
        return 0;
    }

    /** A SQLite file is a {@code J7FileStatsStorage}; anything else is tried as a MapDB {@code FileStatsStorage}. */
    private static StatsStorage open(Path in) throws IOException {
        byte[] head;
        try (InputStream s = Files.newInputStream(in)) {
            head = s.readNBytes(SQLITE_HEADER.length);
        }
        if (head.length == 0) {
            throw new IOException("the file is empty");
        }
        if (Arrays.equals(head, SQLITE_HEADER)) {
            return new J7FileStatsStorage(in.toFile());
        }
        return new FileStatsStorage(in.toFile());
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no details";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
