package io.github.dl4jgradmon.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The workers' monitors of one executor JVM, kept across Spark tasks by (session, series) so that a series' detector
 * windows, alert repeats and reactions continue from one split to the next. A task leases its series' entry for its
 * duration; two tasks of one series never run at once under the parameter-averaging master, but if they do (a
 * speculative or retried attempt), the second gets a monitor of its own that is not kept.
 *
 * <p>Bounded: at most {@code capacity} entries (the least recently used idle one goes first), and the first task of a
 * session new to this JVM evicts the idle entries of every other session (a new fit with another monitor). Static in
 * the JVM ({@link #jvm()}), never serialized. Thread-safe.
 *
 * @param <V> what is kept per series (the worker's monitor and the outlet its records leave through)
 */
final class ExecutorMonitors<V> {

    static final int CAPACITY = 64;
    private static final int SESSIONS_REMEMBERED = 1_024;
    private static final ExecutorMonitors<Object> JVM = new ExecutorMonitors<>(CAPACITY);

    private final int capacity;
    private final Map<Key, Entry<V>> entries = new LinkedHashMap<>(16, 0.75f, true);
    private final Set<String> sessions = new LinkedHashSet<>();

    ExecutorMonitors(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1 (got: " + capacity + ")");
        }
        this.capacity = capacity;
    }

    /** The registry of this JVM. */
    @SuppressWarnings("unchecked")
    static <V> ExecutorMonitors<V> jvm() {
        return (ExecutorMonitors<V>) JVM;
    }

    private record Key(String session, String series) {
    }

    private static final class Entry<V> {
        final V value;
        boolean leased;

        Entry(V value) {
            this.value = value;
        }
    }

    /**
     * What a task holds: the value, whether it continues an earlier task's ({@code false} for a new one), and the
     * release to call when the task ends.
     */
    static final class Lease<V> {
        private final ExecutorMonitors<V> owner;
        private final Entry<V> entry;
        private final V value;
        private final boolean continued;
        private boolean released;

        private final Key key;

        private Lease(ExecutorMonitors<V> owner, Key key, Entry<V> entry, V value, boolean continued) {
            this.key = key;
            this.owner = owner;
            this.entry = entry;
            this.value = value;
            this.continued = continued;
        }

        V value() {
            return value;
        }

        boolean continued() {
            return continued;
        }

        /** Forgets the kept value (it cannot be continued): the series' next task starts a new one. */
        void discard() {
            synchronized (owner) {
                if (entry != null && owner.entries.get(key) == entry) {
                    owner.entries.remove(key);
                }
                released = true;
            }
        }

        /** The entry becomes available to the series' next task. Idempotent. */
        void release() {
            synchronized (owner) {
                if (entry != null && !released) {
                    entry.leased = false;
                }
                released = true;
            }
        }
    }

    /**
     * Leases the entry of ({@code session}, {@code series}): the kept value when it is idle, else a new value from
     * {@code make}, kept for the next task unless the series is leased by a running task.
     */
    synchronized Lease<V> acquire(String session, String series, Supplier<? extends V> make) {
        Objects.requireNonNull(make, "make");
        Key key = new Key(Objects.requireNonNull(session, "session"), Objects.requireNonNull(series, "series"));
        if (sessions.add(session)) {
            evictIdle(e -> !e.getKey().session().equals(session));
            if (sessions.size() > SESSIONS_REMEMBERED) {
                Iterator<String> it = sessions.iterator();
                it.next();
                it.remove();
            }
        }
        Entry<V> entry = entries.get(key);
        if (entry != null && !entry.leased) {
            entry.leased = true;
            return new Lease<>(this, key, entry, entry.value, true);
        }
        V value = Objects.requireNonNull(make.get(), "make returned null");
        if (entry != null) {
            return new Lease<>(this, key, null, value, false); // the series is busy: this task's monitor is not kept
        }
        if (entries.size() >= capacity) {
            evictIdle(e -> true, entries.size() - capacity + 1);
        }
        if (entries.size() >= capacity) {
            return new Lease<>(this, key, null, value, false); // every entry is in use
        }
        Entry<V> created = new Entry<>(value);
        created.leased = true;
        entries.put(key, created);
        return new Lease<>(this, key, created, value, false);
    }

    private void evictIdle(Predicate<Map.Entry<Key, Entry<V>>> which) {
        evictIdle(which, Integer.MAX_VALUE);
    }

    /** Removes up to {@code max} idle entries matching {@code which}, least recently used first. */
    private void evictIdle(Predicate<Map.Entry<Key, Entry<V>>> which, int max) {
        int removed = 0;
        Iterator<Map.Entry<Key, Entry<V>>> it = entries.entrySet().iterator();
        while (it.hasNext() && removed < max) {
            Map.Entry<Key, Entry<V>> e = it.next();
            if (!e.getValue().leased && which.test(e)) {
                it.remove();
                removed++;
            }
        }
    }

    /** The kept series as {@code "session/series"}, least recently used first (for tests and diagnostics). */
    synchronized List<String> kept() {
        List<String> out = new ArrayList<>();
        for (Key k : entries.keySet()) {
            out.add(k.session() + '/' + k.series());
        }
        return out;
    }

    synchronized int size() {
        return entries.size();
    }
}
