package io.github.dl4jgradmon.ui;

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
 * <p>From the command line: {@code mvn -q -pl samples exec:java -Dexec.args="report --in stats.bin --out
 * report.html"}. Each series holds at most {@value GradientMonitorModule#MAX_POINTS} points, as on the live page.
 */
public final class GradientReport {

    private GradientReport() {
    }

    /**
     * Writes the report of every session and worker in {@code storage} that has GradientMonitor records.
     *
     * @throws IllegalArgumentException when {@code storage} holds no GradientMonitor records
     */
    public static void writeHtml(StatsStorage storage, Path out) throws IOException {
        if (out == null) {
            throw new IllegalArgumentException("out must not be null");
        }
        String html = html(storage);
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(out, html, StandardCharsets.UTF_8);
    }

    /** The report as a string (see {@link #writeHtml}). */
    public static String html(StatsStorage storage) {
        if (storage == null) {
            throw new IllegalArgumentException("storage must not be null");
        }
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
                    new GradientSeries(session, worker).refresh(storage).write(g, GradientMonitorModule.MAX_POINTS);
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
        return Page.report(data);
    }
}
