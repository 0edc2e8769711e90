package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The detectors' state for one worker (one model): created by {@link DetectorSuite#newSession(String)}, fed every
 * snapshot of that worker in iteration order. Not thread-safe: one session per worker, used by that worker's training
 * thread. Memory stays bounded (moving averages and small fixed windows per layer).
 *
 * <pre>{@code
 * DetectorSession session = DetectorSuite.defaults().newSession("0");
 * for (GradientSnapshot s : monitor.history("0")) {
 *     session.inspect(s).forEach(a -> System.out.println(a.message()));
 * }
 * }</pre>
 *
 * <p>A detector that throws is contained: the failure is logged (the first one per detector at WARN, later ones at
 * DEBUG), counted in {@link #faultCount()}, and the other detectors still run. Training is never stopped by a bug in a
 * detector.
 */
public final class DetectorSession {

    private static final Logger log = LoggerFactory.getLogger(DetectorSession.class);

    private final String workerId;
    private final Detector[] detectors;
    private final Detector.Session[] sessions;
    private final boolean[] failed;
    private long faults;

    DetectorSession(String workerId, List<Detector> detectors) {
        this.workerId = Objects.requireNonNull(workerId, "workerId");
        this.detectors = detectors.toArray(new Detector[0]);
        this.sessions = new Detector.Session[this.detectors.length];
        for (int i = 0; i < sessions.length; i++) {
            Detector d = this.detectors[i];
            sessions[i] = Objects.requireNonNull(d.newSession(),
                    () -> "newSession() of " + d.getClass().getName() + " returned null");
        }
        this.failed = new boolean[this.detectors.length];
    }

    public String workerId() {
        return workerId;
    }

    /**
     * Runs every detector on the next snapshot of this worker. Returns the alerts in detector order; an immutable
     * empty list (no allocation) when there are none.
     *
     * @throws IllegalArgumentException if the snapshot comes from another worker
     */
    public List<GradientAlert> inspect(GradientSnapshot snapshot) {
        if (!workerId.equals(snapshot.workerId())) {
            throw new IllegalArgumentException("snapshot of worker '" + snapshot.workerId()
                    + "' given to the session of worker '" + workerId + "': create one session per worker");
        }
        List<GradientAlert> out = null;
        for (int i = 0; i < sessions.length; i++) {
            List<GradientAlert> alerts;
            try {
                alerts = sessions[i].inspect(snapshot);
            } catch (RuntimeException e) {
                contain(i, snapshot, e);
                continue;
            }
            if (alerts != null && !alerts.isEmpty()) {
                if (out == null) {
                    out = new ArrayList<>(alerts.size() + 2);
                }
                out.addAll(alerts);
            }
        }
        return out == null ? List.of() : Collections.unmodifiableList(out);
    }

    /** Detector failures contained so far. Zero in a healthy setup. */
    public long faultCount() {
        return faults;
    }

    private void contain(int i, GradientSnapshot s, RuntimeException e) {
        faults++;
        String name = detectors[i].getClass().getName();
        if (!failed[i]) {
            failed[i] = true;
            log.warn("detector {} failed at iteration {} of worker {} and was skipped; training and the other "
                    + "detectors go on. Further failures of it are logged at DEBUG. Please report this with the "
                    + "stack trace.", name, s.iteration(), workerId, e);
        } else {
            log.debug("detector {} failed again at iteration {} of worker {}", name, s.iteration(), workerId, e);
        }
    }
}
