package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.stats.GradientSnapshot;

import java.io.Serializable;
import java.util.List;

/**
 * One detection rule. A detector is an immutable, serializable configuration; the state it needs to follow one
 * worker's stream of snapshots (moving averages, small fixed windows, counters) lives in a {@link Session} it creates.
 * {@link DetectorSuite} combines detectors; a custom rule implements this interface and joins with
 * {@link DetectorSuite.Builder#add(Detector)}.
 *
 * <pre>{@code
 * Detector bigBias = new Detector() {
 *     public AlertType type() { return AlertType.EXPLODING; }
 *     public Session newSession() {
 *         return s -> s.layer("output").filter(l -> l.params().get("b").maxAbs() > 100)
 *                 .map(l -> List.of(new GradientAlert(AlertType.EXPLODING, Severity.WARNING, s.workerId(),
 *                         s.iteration(), l.name(), Optional.of("b"), l.params().get("b").maxAbs(), 100,
 *                         "bias gradient above 100", ".gradientNormalization(...)")))
 *                 .orElse(List.of());
 *     }
 * };
 * DetectorSuite suite = DetectorSuite.builder().add(bigBias).build();
 * }</pre>
 */
public interface Detector extends Serializable {

    /** The type of the alerts this detector raises. */
    AlertType type();

    /** Fresh state for one worker's stream of snapshots. */
    Session newSession();

    /**
     * A detector's state for one worker. Not thread-safe: one worker's training thread feeds it, in iteration order.
     * Memory stays bounded whatever the number of snapshots.
     */
    @FunctionalInterface
    interface Session {

        /**
         * Looks at the next snapshot of this worker and returns the alerts it raises, usually none
         * ({@code List.of()}, which allocates nothing).
         */
        List<GradientAlert> inspect(GradientSnapshot snapshot);
    }
}
