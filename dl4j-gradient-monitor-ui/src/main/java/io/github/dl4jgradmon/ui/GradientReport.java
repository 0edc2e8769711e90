package io.github.dl4jgradmon.ui;

import io.github.dl4jgradmon.internal.util.Checks;
import org.deeplearning4j.core.storage.StatsStorage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns recorded GradientMonitor records into ONE self-contained HTML file: the charts and the alert list of the
 * {@code /gradmon} page, with its script, style and the data inline. It opens without a server or a network.
 *
 * <pre>{@code
 * try (var storage = new FileStatsStorage(new File("stats.bin"))) {   // written by a GradientStatsSink
 *     GradientReport.writeHtml(storage, Path.of("report.html"));
 * }
 * }</pre>
 *
 * <p>From the command line: {@code gradmon report --in stats.bin --out report.html} (the
 * {@code dl4j-gradient-monitor-cli} module). Each series holds at most {@value GradientMonitorModule#MAX_POINTS} points, as on the live page.
 *
 * <p>Stats files are trusted input, as DL4J's own are: DL4J's file storages instantiate the class names stored in the
 * file (and the SQLite one uses Java serialization). Open only files you or your own jobs wrote.
 */
public final class GradientReport {

    private GradientReport() {
    }

    /**
     * Writes the report of every session and worker in {@code storage} that has GradientMonitor records.
     *
     * A record that cannot be decoded is left out and counted in the returned summary; a storage that cannot be read
     * at all throws what the storage throws.
     *
     * @throws IllegalArgumentException when {@code storage} holds no GradientMonitor records
     */
    public static Summary writeHtml(StatsStorage storage, Path out) throws IOException {
        Checks.notNull(out, "out must not be null");
        Built built = build(storage);
        String html = built.html();
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(out, html, StandardCharsets.UTF_8);
        return built.summary();
    }

    /**
     * What a report holds.
     *
     * @param sessions       sessions with GradientMonitor records
     * @param workers        (session, worker) series
     * @param snapshots      snapshots read (each series shows at most {@value GradientMonitorModule#MAX_POINTS})
     * @param skippedRecords records that could not be decoded (a damaged file) and were left out
     */
    public record Summary(int sessions, int workers, long snapshots, long skippedRecords) {
    }

    private record Built(String html, Summary summary) {
    }

    /** The report as a string (see {@link #writeHtml}). */
    public static String html(StatsStorage storage) {
        return build(storage).html();
    }

    private static Built build(StatsStorage storage) {
        Checks.notNull(storage, "storage must not be null");
        List<String> sessions = new ArrayList<>();
        for (String session : storage.listSessionIDs()) {
            List<String> workers = storage.listWorkerIDsForSessionAndType(session, GradientMonitorRecord.TYPE_ID);
            if (workers != null && !workers.isEmpty()) {
                sessions.add(session);
            }
        }
        if (sessions.isEmpty()) {
            throw new IllegalArgumentException("no GradientMonitor records in this storage (sessions: "
                    + storage.listSessionIDs() + "); record with GradientStatsSink first");
        }
        long[] counts = new long[3]; // workers, snapshots, skipped records
        String data = Json.write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("sessions");
            for (String session : sessions) {
                List<String> workers = new ArrayList<>(
                        storage.listWorkerIDsForSessionAndType(session, GradientMonitorRecord.TYPE_ID));
                workers.sort(null);
                var first = storage.getStaticInfo(session, GradientMonitorRecord.TYPE_ID, workers.get(0));
                g.writeStartObject();
                g.writeStringField("id", session);
                g.writeNumberField("started", first == null ? 0 : first.getTimeStamp());
                g.writeArrayFieldStart("workers");
                for (String w : workers) {
                    g.writeString(w);
                }
                g.writeEndArray();
                g.writeObjectFieldStart("data");
                for (String worker : workers) {
                    g.writeFieldName(worker);
                    GradientSeries series = new GradientSeries(session, worker).refresh(storage);
                    series.write(g, GradientMonitorModule.MAX_POINTS);
                    counts[0]++;
                    counts[1] += series.totalPoints();
                    counts[2] += series.skippedRecords();
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
        return new Built(Page.report(data), new Summary(sessions.size(), (int) counts[0], counts[1], counts[2]));
    }
}
