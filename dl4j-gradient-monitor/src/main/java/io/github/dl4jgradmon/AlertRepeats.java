package io.github.dl4jgradmon;

import io.github.dl4jgradmon.alert.GradientAlert;

import java.util.HashMap;
import java.util.Map;

/**
 * Keeps a persisting condition from flooding the alert history: detectors report a condition on every snapshot while
 * it lasts, but an alert of the same (type, severity, layer, param) is passed on only at its onset, again every
 * {@code repeatInterval} iterations while it persists, and anew once it has cleared and returned. One per worker, used
 * from that worker's training thread. Memory is bounded by the number of distinct (type, layer, param) keys.
 */
final class AlertRepeats {

    private final int repeatInterval;
    private final int frequency;
    private final Map<String, long[]> seen = new HashMap<>();
    private long suppressed;

    AlertRepeats(int repeatInterval, int frequency) {
        this.repeatInterval = repeatInterval;
        this.frequency = frequency;
    }

    /** Whether to pass this alert on; records it either way. */
    boolean admit(GradientAlert a) {
        // severity is part of the key: a condition that escalates (WARNING -> CRITICAL) is passed on at once
        String key = a.type() + "\u0000" + a.severity() + "\u0000" + a.layer() + "\u0000" + a.param().orElse("");
        long it = a.iteration();
        long[] s = seen.get(key); // {last seen, last admitted}
        if (s == null) {
            seen.put(key, new long[] {it, it});
            return true;
        }
        boolean cleared = it - s[0] > frequency;
        s[0] = it;
        if (cleared || it - s[1] >= repeatInterval) {
            s[1] = it;
            return true;
        }
        suppressed++;
        return false;
    }

    long suppressed() {
        return suppressed;
    }
}
