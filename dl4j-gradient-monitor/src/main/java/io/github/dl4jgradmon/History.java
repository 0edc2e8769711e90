package io.github.dl4jgradmon;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** A bounded, thread-safe, insertion-ordered buffer: the oldest entry goes when a new one arrives at capacity. */
final class History<T> {

    private final int capacity;
    private final ArrayDeque<T> items;
    private long total;

    History(int capacity) {
        this.capacity = capacity;
        this.items = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    synchronized void add(T item) {
        if (items.size() == capacity) {
            items.removeFirst();
        }
        items.addLast(item);
        total++;
    }

    synchronized List<T> snapshot() {
        return List.copyOf(items);
    }

    synchronized List<T> snapshot(Predicate<? super T> filter) {
        List<T> out = new ArrayList<>();
        for (T item : items) {
            if (filter.test(item)) {
                out.add(item);
            }
        }
        return List.copyOf(out);
    }

    synchronized Optional<T> last() {
        return Optional.ofNullable(items.peekLast());
    }

    /** Entries ever added, including those evicted. */
    synchronized long total() {
        return total;
    }
}
