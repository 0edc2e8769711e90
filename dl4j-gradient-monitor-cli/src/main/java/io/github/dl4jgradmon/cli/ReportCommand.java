package io.github.dl4jgradmon.cli;

import io.github.dl4jgradmon.ui.GradientReport;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.deeplearning4j.ui.model.storage.sqlite.J7FileStatsStorage;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * {@code report --in stats.bin --out report.html}: turns a DL4J stats file recorded with a
 * {@code GradientStatsSink} (a {@code FileStatsStorage}, or a {@code J7FileStatsStorage} SQLite file) into one
 * self-contained HTML file.
 *
 * <p>Run: {@code gradmon report --in stats.bin --out report.html}.
 * Exit code 0 when written (records that cannot be decoded are skipped and counted on the same line), 2 on bad
 * arguments, an input that is not a readable DL4J stats file or is damaged at the storage level, no GradientMonitor
 * records, an output that is the input itself (the same path, or a symbolic or hard link to it), or an output that
 * cannot be written: always one line on stderr naming what is wrong, never a stack trace.
 *
 * <p>The input is never changed: both DL4J storages write to the file they open (MapDB commits, the SQLite storage
 * creates its tables), so the report reads a copy in a temporary directory. Stats files are trusted input, as DL4J's
 * own are: DL4J's file storages instantiate the class names stored in the file.
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
        if (sameFile(in, out)) {
            err.println("report: --out " + out + " is the --in file " + in + " (the same file or a link to it); "
                    + "writing the report there would destroy the stats file: choose another --out");
            return 2;
        }
        Path copyDir;
        Path copy;
        try {
            copyDir = Files.createTempDirectory("gradmon-report-");
            copy = Files.copy(in, copyDir.resolve("stats"));
        } catch (IOException e) {
            err.println("report: cannot copy --in " + in + " to a temporary directory (" + e.getMessage() + ")");
            return 2;
        }
        try {
            return report(in, copy, out, err);
        } finally {
            deleteQuietly(copyDir);
        }
    }

    /** True when {@code out} exists and is {@code in} (same path, symbolic link, hard link). */
    private static boolean sameFile(Path in, Path out) {
        if (in.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
            return true;
        }
        try {
            return Files.exists(out) && Files.isSameFile(in, out);
        } catch (IOException e) {
            return false; // cannot tell: the write reports its own failure
        }
    }

    /** Reads {@code copy} (never the user's file: both DL4J storages write to the file they open). */
    private static int report(Path in, Path copy, Path out, PrintStream err) {
        StatsStorage storage;
        try {
            storage = open(copy);
        } catch (IOException | RuntimeException e) {
            err.println("report: --in " + in + " is not a DL4J stats file (" + describe(e) + ")");
            return 2;
        } catch (Error e) {
            rethrowIfFatal(e);
            err.println("report: --in " + in + " is not a DL4J stats file (" + describe(e) + ")");
            return 2;
        }
        GradientReport.Summary summary;
        try {
            summary = GradientReport.writeHtml(storage, out);
        } catch (IllegalArgumentException e) {
            err.println("report: --in " + in + ": " + firstLine(e.getMessage()));
            return 2;
        } catch (IOException e) {
            err.println("report: cannot write --out " + out + " (" + e.getMessage() + ")");
            return 2;
        } catch (RuntimeException e) {
            err.println("report: --in " + in + " is damaged and cannot be read (" + describe(e) + ")");
            return 2;
        } catch (Error e) {
            rethrowIfFatal(e);
            err.println("report: --in " + in + " is damaged and cannot be read (" + describe(e) + ")");
            return 2;
        } finally {
            try {
                storage.close();
            } catch (IOException | RuntimeException e) {
                // the copy is deleted next; a damaged file may not close cleanly
            }
        }
        err.println("report: wrote " + out.toAbsolutePath() + " (" + plural(summary.sessions(), "session") + ", "
                + plural(summary.workers(), "worker") + ", " + plural(summary.snapshots(), "snapshot")
                + (summary.skippedRecords() == 0 ? "" : "; skipped " + plural(summary.skippedRecords(),
                "corrupt record") + " that could not be decoded") + ")");
        return 0;
    }

    /** A corrupt file may overflow the stack or ask for a huge array: say so; the JVM's own failures pass. */
    private static void rethrowIfFatal(Error e) {
        if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError) && !(e instanceof OutOfMemoryError)) {
            throw e;
        }
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + ": " + firstLine(e.getMessage());
    }

    private static String plural(long n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory; the OS cleans it up
        }
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
