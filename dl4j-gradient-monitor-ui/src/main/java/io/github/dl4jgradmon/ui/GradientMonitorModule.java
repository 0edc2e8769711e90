package io.github.dl4jgradmon.ui;

import io.vertx.core.Promise;
import io.vertx.ext.web.RoutingContext;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.core.storage.StatsStorageEvent;
import org.deeplearning4j.ui.api.HttpMethod;
import org.deeplearning4j.ui.api.Route;
import org.deeplearning4j.ui.api.UIModule;
import org.deeplearning4j.ui.i18n.I18NResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * <p>The server may instantiate modules more than once: the constructor has no side effects.
 */
public final class GradientMonitorModule implements UIModule {

    private static final Logger log = LoggerFactory.getLogger(GradientMonitorModule.class);

    /** Points per series sent to the page: longer runs are downsampled evenly. */
    public static final int MAX_POINTS = 500;

    private final List<StatsStorage> storages = new CopyOnWriteArrayList<>();
    private final Map<String, GradientSeries> cache = new ConcurrentHashMap<>();
    private volatile String page;

    /** For the UI server's ServiceLoader. */
    public GradientMonitorModule() {
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
        cache.clear();
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
                        .end(new Json().beginObject().field("error", String.valueOf(ar.cause().getMessage()))
                                .endObject().toString());
            }
        });
    }

    String sessionsJson() {
        Json j = new Json().beginObject().name("sessions");
        GradientSeries.writeSessions(j, storages);
        return j.endObject().toString();
    }

    String dataJson(String session, String worker) {
        for (StatsStorage s : storages) {
            if (s.getStaticInfo(session, GradientMonitorRecord.TYPE_ID, worker) != null) {
                String key = System.identityHashCode(s) + "\u0000" + session + "\u0000" + worker;
                return cache.computeIfAbsent(key, k -> new GradientSeries(session, worker)).refresh(s)
                        .toJson(MAX_POINTS);
            }
        }
        return new Json().beginObject().field("error", "no GradientMonitor records for session '" + session
                + "', worker '" + worker + "'").endObject().toString();
    }
}
