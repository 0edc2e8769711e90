package io.github.dl4jgradmon.spark;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Strictly increasing record times per (session, series) across the Spark tasks of one executor JVM. DL4J's storage
 * keys updates by timestamp and lets two in the same millisecond overwrite each other; each task deserializes a fresh
 * listener (and sink), so the sink's own per-worker clock starts afresh every split. This clock survives the tasks:
 * a snapshot gets at least the last time + 1, and each alert (which the sink stamps 1 ms after the latest record)
 * advances it by one. Bounded: at most {@value #MAX_SERIES} series are remembered per JVM (oldest forgotten).
 */
final class SeriesClock {

    static final int MAX_SERIES = 10_000;
    private static final Map<String, long[]> LAST = new ConcurrentHashMap<>();

    private SeriesClock() {
    }

    /** The time to stamp a snapshot of {@code series} observed at {@code proposed}. */
    static long snapshot(String series, long proposed) {
        long[] last = slot(series);
        synchronized (last) {
            last[0] = Math.max(proposed, last[0] + 1);
            return last[0];
        }
    }

    /** Records that the sink stamped one alert right after the latest record of {@code series}. */
    static void alert(String series) {
        long[] last = slot(series);
        synchronized (last) {
            last[0] = last[0] + 1;
        }
    }

    private static long[] slot(String series) {
        long[] last = LAST.get(series);
        if (last != null) {
            return last;
        }
        if (LAST.size() >= MAX_SERIES) {
            Iterator<String> it = LAST.keySet().iterator();
            if (it.hasNext()) {
                it.next();
                it.remove();
            }
        }
        return LAST.computeIfAbsent(series, k -> new long[] {Long.MIN_VALUE / 2});
    }
}
