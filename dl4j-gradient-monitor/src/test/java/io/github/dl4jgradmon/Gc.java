package io.github.dl4jgradmon;

import java.lang.ref.WeakReference;
import java.util.List;

/** Garbage collection for reachability tests: bounded in tries, no timing. */
final class Gc {

    private static final int TRIES = 50;

    private Gc() {
    }

    /** Runs the collector until every reference is cleared or the tries are spent; returns how many remain. */
    static long collectAll(List<? extends WeakReference<?>> refs) {
        for (int i = 0; i < TRIES && remaining(refs) > 0; i++) {
            System.gc();
            System.runFinalization();
            byte[][] pressure = new byte[16][];
            for (int j = 0; j < pressure.length; j++) {
                pressure[j] = new byte[1 << 20];
            }
        }
        return remaining(refs);
    }

    static long remaining(List<? extends WeakReference<?>> refs) {
        return refs.stream().filter(r -> r.get() != null).count();
    }
}
