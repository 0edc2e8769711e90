package io.github.dl4jgradmon.alert;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Decides how loudly each alert is logged: the first {@code loudLimit} alerts of each (type, layer) loudly, later
 * ones quietly, and now and then a summary of the quiet ones. Thread-safe. Memory: one small entry per (type, layer)
 * pair seen, which the model's layer count bounds.
 *
 * <p>A summary is due when {@code summaryEvery} alerts have been suppressed since the last summary, or when an alert
 * arrives {@code summaryIntervalIterations} or more iterations after the first one suppressed since the last summary.
 */
final class AlertRateLimiter {

    /** What to do with one alert. {@code summary} is non-null when a summary of suppressed alerts is due now. */
    record Decision(boolean loud, Summary summary) {
    }

    /**
     * {@code suppressed} alerts of {@code type} for {@code layer} were logged quietly, from iteration
     * {@code sinceIteration} to {@code untilIteration}.
     */
    record Summary(AlertType type, String layer, long suppressed, long sinceIteration, long untilIteration) {
    }

    private record Key(AlertType type, String layer) {
    }

    private static final class Counter {
        long seen;
        long suppressed;
        long firstSuppressedIteration;
    }

    private final int loudLimit;
    private final long summaryEvery;
    private final long summaryIntervalIterations;
    private final ConcurrentMap<Key, Counter> counters = new ConcurrentHashMap<>();

    AlertRateLimiter(int loudLimit, long summaryEvery, long summaryIntervalIterations) {
        this.loudLimit = loudLimit;
        this.summaryEvery = summaryEvery;
        this.summaryIntervalIterations = summaryIntervalIterations;
    }

    Decision offer(GradientAlert alert) {
        Objects.requireNonNull(alert, "alert");
        Counter c = counters.computeIfAbsent(new Key(alert.type(), alert.layer()), k -> new Counter());
        synchronized (c) {
            c.seen++;
            if (c.seen <= loudLimit) {
                return new Decision(true, null);
            }
            if (c.suppressed == 0) {
                c.firstSuppressedIteration = alert.iteration();
            }
            c.suppressed++;
            boolean due = c.suppressed >= summaryEvery
                    || alert.iteration() - c.firstSuppressedIteration >= summaryIntervalIterations;
            if (!due) {
                return new Decision(false, null);
            }
            Summary s = new Summary(alert.type(), alert.layer(), c.suppressed, c.firstSuppressedIteration,
                    alert.iteration());
            c.suppressed = 0;
            return new Decision(false, s);
        }
    }
}
