/**
 * The GradientMonitor in DL4J's training UI: records in DL4J's {@code StatsStorage}, a gradient page served by the
 * DL4J UI server, and self-contained HTML reports. Kept in its own module ({@code dl4j-gradient-monitor-ui}) so that
 * the core library never depends on the UI, which upstream has said may be rewritten or removed.
 *
 * <h2>Public API</h2>
 * <ul>
 *   <li>{@link io.github.dl4jgradmon.ui.GradientStatsSink}: one object that is both the monitor's snapshot handler
 *       and its alert handler; posts to any {@code StatsStorageRouter} (in memory, MapDB file, SQLite file, a remote
 *       UI server).</li>
 *   <li>{@link io.github.dl4jgradmon.ui.GradientStaticInfo}, {@link io.github.dl4jgradmon.ui.GradientUpdate},
 *       {@link io.github.dl4jgradmon.ui.GradientAlertRecord}: the stored records (type ID {@code "GradientMonitor"},
 *       next to DL4J's {@code StatsListener} in the same session if wanted). Values are keyed by field name, so new
 *       fields (clipping, skipped steps) do not break old readers.</li>
 *   <li>{@link io.github.dl4jgradmon.ui.GradientMonitorModule}: the {@code /gradmon} page, registered with the UI
 *       server by {@code META-INF/services}; nothing to call.</li>
 *   <li>{@link io.github.dl4jgradmon.ui.GradientReport}: a recording to one HTML file that needs no network.</li>
 *   <li>{@link io.github.dl4jgradmon.ui.StorageIds}: which session and worker IDs DL4J's storages hold safely (no
 *       single quote: the SQLite storage builds its SQL from them); session IDs are checked where they are set.</li>
 * </ul>
 *
 * <pre>{@code
 * UIServer ui = UIServer.getInstance();
 * StatsStorage storage = new FileStatsStorage(new File("stats.bin"));   // or InMemoryStatsStorage
 * ui.attach(storage);
 * GradientStatsSink sink = GradientStatsSink.to(storage);
 * net.addListeners(GradientMonitor.builder().onSnapshot(sink).onAlert(sink).build());
 * net.fit(data);                       // http://localhost:9000/gradmon updates every 2 s
 * GradientReport.writeHtml(storage, Path.of("report.html"));
 * }</pre>
 *
 * <h2>Internal</h2>
 * {@code RecordCodec} (the framed binary encoding: magic, version, kind, length, fields, CRC-32; the CRC is checked
 * before any field is read and every count is bounded by the bytes present), {@code GradientSeries} (incremental
 * reading into a bounded store: at most 1,000 evenly spread points, 512 layers and 1,000 alerts (1,000,000 characters of
 * alert text) per series),
 * {@code Json} (Jackson with script-safe escapes), {@code Page} and the page assets under {@code deeplearning4jUiAssets/gradmon/} (served by the UI
 * server at {@code /assets/gradmon/}). The page draws its charts on canvas with its own script and writes every
 * string that comes from the model or the alerts with {@code textContent}.
 */
package io.github.dl4jgradmon.ui;
