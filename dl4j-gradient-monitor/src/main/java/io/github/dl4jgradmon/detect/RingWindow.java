package io.github.dl4jgradmon.detect;

/** The last {@code capacity} values added and their mean: a fixed array, no allocation after construction. */
final class RingWindow {

    private final double[] values;
    private int next;
    private int size;

    RingWindow(int capacity) {
        this.values = new double[capacity];
    }

    void add(double v) {
        values[next] = v;
        next = (next + 1) % values.length;
        if (size < values.length) {
            size++;
        }
    }

    boolean isFull() {
        return size == values.length;
    }

    /** Mean of the values held, recomputed exactly (the window is small); NaN when empty. */
    double mean() {
        if (size == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (int i = 0; i < size; i++) {
            s += values[i];
        }
        return s / size;
    }

    /**
     * One window per layer of a worker's snapshots, made anew when the number of layers changes (a model swapped
     * under the same worker).
     */
    static RingWindow[] perLayer(RingWindow[] current, int layers, int capacity) {
        if (current.length == layers) {
            return current;
        }
        RingWindow[] windows = new RingWindow[layers];
        for (int i = 0; i < layers; i++) {
            windows[i] = new RingWindow(capacity);
        }
        return windows;
    }
}
