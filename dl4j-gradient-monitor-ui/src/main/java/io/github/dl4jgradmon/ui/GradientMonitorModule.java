package io.github.dl4jgradmon.ui;

import io.vertx.core.Promise;
import io.vertx.ext.web.RoutingContext;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.core.storage.StatsStorageEvent;
import org.deeplearning4j.ui.api.HttpMethod;
import org.deeplearning4j.ui.api.Route;
import org.deeplearning4j.ui.api.UIModule;
import org.deeplearning4j.ui.i18n.I18NResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The gradient page of the DL4J UI server, at {@code /gradmon}. Found by the server through
 * {@code META-INF/services/org.deeplearning4j.ui.api.UIModule}: nothing to register by hand.
 *
 * <pre>{@code
 * UIServer ui = UIServer.getInstance();
 * InMemoryStatsStorage storage = new InMemoryStatsStorage();
 * ui.attach(storage);
 * GradientStatsSink sink = GradientStatsSink.to(storage);
 * net.addListeners(GradientMonitor.builder().onSnapshot(sink).onAlert(sink).build());
 * // open http://localhost:9000/gradmon
 * }</pre>
 *
 * <p>Routes: {@code /gradmon} (the page; its script and style are served from {@code /assets/gradmon/}),
 * {@code /gradmon/sessions} and {@code /gradmon/data/:session/:worker} (JSON, at most {@value #MAX_POINTS} points
 * per series). JSON is computed off the event loop ({@code executeBlocking}) from a per-series cache that reads only
 * the records added since the last request. A top-level path, because the built-in module owns {@code /train/*}.
 *
 * <p>Memory is bounded in the training JVM: each cached series keeps at most 1,000 evenly spread points, 512 layers
 * and 1,000 alerts; at most {@value #MAX_CACHED_SERIES} series are cached and a series not polled for 10 minutes is
 * dropped. Each attached storage is read on its own: one that fails (a closed file) is named in the sessions JSON
 * ({@code storageErrors}) and on the page, logged at most once a minute, and the other storages are still served.
 *
 * <p>The server may instantiate modules more than once: the constructor has no side effects.
 */
public final class GradientMonitorModule implements UIModule {

    private static final Logger log = LoggerFactory.getLogger(GradientMonitorModule.class);

    /** Points per series sent to the page: longer runs are downsampled evenly. */
    public static final int MAX_POINTS = 500;

    /** Series not polled for this long are dropped from the cache (10 minutes). */
    static final long IDLE_EVICTION_NANOS = 600_000_000_000L;
    /** Series cached at most; the least recently polled goes first. */
    static final int MAX_CACHED_SERIES = 16;
    /** A failing storage is logged at most this often (one minute). */
    static final long WARN_INTERVAL_NANOS = 60_000_000_000L;

    private final List<StatsStorage> storages = new CopyOnWriteArrayList<>();
    /** Access-ordered: the eldest entry is the least recently polled. Guarded by itself. */
    private final LinkedHashMap<SeriesKey, Cached> cache = new LinkedHashMap<>(16, 0.75f, true);
    private final LongSupplier clock;
    /** When each failing storage was last logged. Guarded by itself. */
    private final Map<StatsStorage, Long> lastWarned = new IdentityHashMap<>();
    private volatile String page;

    /** For the UI server's ServiceLoader. */
    public GradientMonitorModule() {
        this(System::nanoTime);
    }

    /** With the clock (nanoseconds) that idle eviction uses. */
    GradientMonitorModule(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public List<String> getCallbackTypeIDs() {
        return List.of(GradientMonitorRecord.TYPE_ID);
    }

    @Override
    public List<Route> getRoutes() {
        return List.of(
                new Route("/gradmon", HttpMethod.GET, (args, rc) -> html(rc)),
                new Route("/gradmon/sessions", HttpMethod.GET, (args, rc) -> json(rc, this::sessionsJson)),
                new Route("/gradmon/data/:session/:worker", HttpMethod.GET,
                        (args, rc) -> json(rc, () -> dataJson(args.get(0), args.get(1)))));
    }

    @Override
    public void reportStorageEvents(Collection<StatsStorageEvent> events) {
        // The page polls; each poll reads what is new from the cache.
    }

    @Override
    public void onAttach(StatsStorage statsStorage) {
        storages.add(statsStorage);
    }

    @Override
    public void onDetach(StatsStorage statsStorage) {
        storages.remove(statsStorage);
        synchronized (cache) {
            cache.keySet().removeIf(k -> k.storage() == statsStorage);
        }
        synchronized (lastWarned) {
            lastWarned.remove(statsStorage);
        }
    }

    @Override
    public List<I18NResource> getInternationalizationResources() {
        return List.of();
    }

    private void html(RoutingContext rc) {
        String p = page;
        if (p == null) {
            p = Page.live();
            page = p;
        }
        rc.response().putHeader("content-type", "text/html; charset=utf-8")
                .putHeader("cache-control", "no-store").end(p);
    }

    private void json(RoutingContext rc, Supplier<String> body) {
        rc.vertx().<String>executeBlocking((Promise<String> promise) -> promise.complete(body.get()), false, ar -> {
            if (ar.succeeded()) {
                rc.response().putHeader("content-type", "application/json; charset=utf-8")
                        .putHeader("cache-control", "no-store").end(ar.result());
            } else {
                log.warn("GradientMonitor UI: {} failed: {}", rc.request().path(), ar.cause().toString());
                rc.response().setStatusCode(500).putHeader("content-type", "application/json; charset=utf-8")
                        .end(Json.error(String.valueOf(ar.cause().getMessage())));
            }
        });
    }

    String sessionsJson() {
        List<Session> sessions = new ArrayList<>();
        Map<String, String> failures = new LinkedHashMap<>();
        for (StatsStorage s : storages) {
            try {
                sessions.addAll(sessions(s));
            } catch (RuntimeException e) {
                failures.put(failed(s, e), describe(e));
            }
        }
        return Json.write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("sessions");
            for (Session session : sessions) {
                g.writeStartObject();
                g.writeStringField("id", session.id());
                g.writeNumberField("started", session.started());
                g.writeArrayFieldStart("workers");
                for (String w : session.workers()) {
                    g.writeString(w);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("storageErrors");
            for (Map.Entry<String, String> f : failures.entrySet()) {
                g.writeStartObject();
                g.writeStringField("storage", f.getKey());
                g.writeStringField("error", f.getValue());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private record Session(String id, long started, List<String> workers) {
    }

    /** The sessions of {@code storage} with GradientMonitor records, and their workers. */
    private static List<Session> sessions(StatsStorage s) {
        List<Session> out = new ArrayList<>();
        for (String session : s.listSessionIDs()) {
            List<String> workers = s.listWorkerIDsForSessionAndType(session, GradientMonitorRecord.TYPE_ID);
            if (workers == null || workers.isEmpty()) {
                continue;
            }
            Persistable first = s.getStaticInfo(session, GradientMonitorRecord.TYPE_ID, workers.get(0));
            out.add(new Session(session, first == null ? 0 : first.getTimeStamp(),
                    workers.stream().sorted().toList()));
        }
        return out;
    }

    String dataJson(String session, String worker) {
        List<String> failures = new ArrayList<>();
        for (StatsStorage s : storages) {
            try {
                if (s.getStaticInfo(session, GradientMonitorRecord.TYPE_ID, worker) != null) {
                    return series(s, session, worker).refresh(s).toJson(MAX_POINTS);
                }
            } catch (RuntimeException e) {
                failures.add(failed(s, e) + " failed (" + describe(e) + ")");
            }
        }
        return Json.error("no GradientMonitor records for session '" + session + "', worker '" + worker + "'"
                + (failures.isEmpty() ? "" : "; unreadable storage: " + String.join("; ", failures)));
    }

    /** The storage's name, after logging its failure (at most once a minute per storage). */
    private String failed(StatsStorage storage, RuntimeException e) {
        String name = StoredText.fit(String.valueOf(storage), 300);
        long now = clock.getAsLong();
        synchronized (lastWarned) {
            Long last = lastWarned.get(storage);
            if (last == null || now - last >= WARN_INTERVAL_NANOS) {
                lastWarned.put(storage, now);
                log.warn("GradientMonitor UI: attached storage {} cannot be read ({}); the page shows the other "
                        + "storages. Detach it (UIServer.detach) or fix the file. (Said at most once a minute.)",
                        name, describe(e));
            }
        }
        return name;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        if (message == null && e.getCause() != null) {
            message = e.getCause().toString();
        }
        return StoredText.fit(e.getClass().getSimpleName() + (message == null ? "" : ": " + message), 500);
    }

    /** The cached series (created when new), after dropping the ones idle too long and the least recently polled. */
    private GradientSeries series(StatsStorage storage, String session, String worker) {
        long now = clock.getAsLong();
        synchronized (cache) {
            Iterator<Cached> eldestFirst = cache.values().iterator();
            while (eldestFirst.hasNext()) {
                if (now - eldestFirst.next().lastPolled <= IDLE_EVICTION_NANOS) {
                    break;
                }
                eldestFirst.remove();
            }
            Cached c = cache.computeIfAbsent(new SeriesKey(storage, session, worker),
                    k -> new Cached(new GradientSeries(session, worker)));
            c.lastPolled = now;
            while (cache.size() > MAX_CACHED_SERIES) {
                Iterator<SeriesKey> it = cache.keySet().iterator();
                it.next();
                it.remove();
            }
            return c.series;
        }
    }

    int cachedSeries() {
        synchronized (cache) {
            return cache.size();
        }
    }

    /** A series of one attached storage; storages compare by identity (DL4J's do not override equals). */
    private record SeriesKey(StatsStorage storage, String session, String worker) {
    }

    private static final class Cached {
        final GradientSeries series;
        long lastPolled;

        Cached(GradientSeries series) {
            this.series = series;
        }
    }
}
