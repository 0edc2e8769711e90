package io.github.dl4jgradmon.internal.react;

import io.github.dl4jgradmon.StepBudget;

import java.util.ArrayDeque;

/**
 * Events counted by iteration: how many came in a row, and how many within the last {@code windowIterations}
 * iterations. Keeps at most one entry per event inside the window. One counter serves step skipping, protection
 * lapses and the learning-rate back-off.
 */
final class WindowedCount {

    private final int windowIterations;
    private final ArrayDeque<Long> events = new ArrayDeque<>();
    private int consecutive;

    WindowedCount(int windowIterations) {
        this.windowIterations = windowIterations;
    }

    /** One more event at {@code iteration}, extending the run in a row. */
    void add(long iteration) {
        consecutive++;
        events.addLast(iteration);
        slide(iteration);
    }

    /** Drops the events that left the window ending at {@code iteration}. */
    void slide(long iteration) {
        while (!events.isEmpty() && events.peekFirst() <= iteration - windowIterations) {
            events.removeFirst();
        }
    }

    /** A step without the event: the run in a row ends. */
    void breakRun() {
        consecutive = 0;
    }

    /** Forgets every event (after the counter triggered what it counts for). */
    void clear() {
        events.clear();
        consecutive = 0;
    }

    int consecutive() {
        return consecutive;
    }

    int inWindow() {
        return events.size();
    }

    int windowIterations() {
        return windowIterations;
    }

    /** Whether the counts are past what {@code budget} allows. */
    boolean exceeds(StepBudget budget) {
        return consecutive > budget.maxConsecutive() || events.size() > budget.maxInWindow();
    }
}
