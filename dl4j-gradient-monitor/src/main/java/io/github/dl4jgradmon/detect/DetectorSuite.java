package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The detectors the monitor runs on every snapshot: an immutable, serializable configuration. Each worker (model)
 * gets its own {@link DetectorSession} holding the detectors' state.
 *
 * <pre>{@code
 * DetectorSuite suite = DetectorSuite.builder()                     // starts from the defaults
 *         .vanishing(VanishingDetector.builder().patience(20).build())
 *         .disable(AlertType.UPDATE_RATIO)
 *         .build();
 *
 * DetectorSession session = suite.newSession("0");                   // once per worker
 * List<GradientAlert> alerts = session.inspect(snapshot);            // once per snapshot, on that worker's thread
 * }</pre>
 *
 * <p>{@link #defaults()}: {@link NonFiniteDetector}, {@link ExplodingDetector}, {@link VanishingDetector},
 * {@link DeadUnitsDetector}, {@link SaturationDetector}, {@link UpdateRatioDetector}, {@link LossSpikeDetector},
 * {@link NoGradientDetector}, {@link StallDetector}, each with its defaults, in that order; custom detectors run after
 * them in the order added.
 */
public final class DetectorSuite implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private final List<Detector> detectors;

    private DetectorSuite(List<Detector> detectors) {
        this.detectors = List.copyOf(detectors);
    }

    /** Every built-in detector with its defaults. */
    public static DetectorSuite defaults() {
        return builder().build();
    }

    /** No detectors: sessions never alert. */
    public static DetectorSuite none() {
        return new DetectorSuite(List.of());
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The detectors, in the order they run. */
    public List<Detector> detectors() {
        return detectors;
    }

    /** The first detector of this class, if the suite has one. */
    public <T extends Detector> Optional<T> detector(Class<T> type) {
        for (Detector d : detectors) {
            if (type.isInstance(d)) {
                return Optional.of(type.cast(d));
            }
        }
        return Optional.empty();
    }

    /** Fresh detector state for one worker's stream of snapshots. */
    public DetectorSession newSession(String workerId) {
        return new DetectorSession(workerId, detectors);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DetectorSuite other && detectors.equals(other.detectors);
    }

    @Override
    public int hashCode() {
        return detectors.hashCode();
    }

    @Override
    public String toString() {
        return "DetectorSuite" + detectors;
    }

    /**
     * Configures a {@link DetectorSuite}, starting from the defaults: replace a built-in detector, disable one, add
     * custom ones.
     *
     * <pre>{@code
     * DetectorSuite suite = DetectorSuite.builder()
     *         .exploding(ExplodingDetector.builder().maxNorm(100).build())
     *         .disable(AlertType.DEAD_UNITS, AlertType.LOSS_SPIKE)
     *         .add(myDetector)
     *         .build();
     * }</pre>
     */
    public static final class Builder {
        private final Map<AlertType, Detector> builtIns = new EnumMap<>(AlertType.class);
        private final List<Detector> custom = new ArrayList<>();

        private Builder() {
            builtIns.put(AlertType.NON_FINITE, NonFiniteDetector.defaults());
            builtIns.put(AlertType.EXPLODING, ExplodingDetector.defaults());
            builtIns.put(AlertType.VANISHING, VanishingDetector.defaults());
            builtIns.put(AlertType.DEAD_UNITS, DeadUnitsDetector.defaults());
            builtIns.put(AlertType.SATURATION, SaturationDetector.defaults());
            builtIns.put(AlertType.UPDATE_RATIO, UpdateRatioDetector.defaults());
            builtIns.put(AlertType.LOSS_SPIKE, LossSpikeDetector.defaults());
            builtIns.put(AlertType.NO_GRADIENT, NoGradientDetector.defaults());
            builtIns.put(AlertType.STALLED, StallDetector.defaults());
        }

        public Builder nonFinite(NonFiniteDetector detector) {
            return builtIn(AlertType.NON_FINITE, detector);
        }

        public Builder exploding(ExplodingDetector detector) {
            return builtIn(AlertType.EXPLODING, detector);
        }

        public Builder vanishing(VanishingDetector detector) {
            return builtIn(AlertType.VANISHING, detector);
        }

        public Builder deadUnits(DeadUnitsDetector detector) {
            return builtIn(AlertType.DEAD_UNITS, detector);
        }

        public Builder saturation(SaturationDetector detector) {
            return builtIn(AlertType.SATURATION, detector);
        }

        public Builder updateRatio(UpdateRatioDetector detector) {
            return builtIn(AlertType.UPDATE_RATIO, detector);
        }

        public Builder lossSpike(LossSpikeDetector detector) {
            return builtIn(AlertType.LOSS_SPIKE, detector);
        }

        public Builder noGradient(NoGradientDetector detector) {
            return builtIn(AlertType.NO_GRADIENT, detector);
        }

        public Builder stall(StallDetector detector) {
            return builtIn(AlertType.STALLED, detector);
        }

        /** Removes the built-in detectors of these types (custom detectors stay). Setting one again re-enables it. */
        public Builder disable(AlertType... types) {
            for (AlertType t : Arrays.asList(types)) {
                if (t == null) {
                    throw new IllegalArgumentException("disable: types must be AlertType values (got: null)");
                }
                builtIns.remove(t);
            }
            return this;
        }

        /** Removes every built-in detector; custom detectors stay. */
        public Builder disableAll() {
            builtIns.clear();
            return this;
        }

        /** Adds a custom detector, run after the built-in ones. */
        public Builder add(Detector detector) {
            if (detector == null) {
                throw new IllegalArgumentException("add: detector must not be null (got: null)");
            }
            custom.add(detector);
            return this;
        }

        private Builder builtIn(AlertType type, Detector detector) {
            if (detector == null) {
                throw new IllegalArgumentException(type + " detector must not be null (got: null); use disable("
                        + "AlertType." + type + ") to turn it off");
            }
            builtIns.put(type, detector);
            return this;
        }

        public DetectorSuite build() {
            List<Detector> all = new ArrayList<>(builtIns.values()); // EnumMap: in AlertType order
            all.addAll(custom);
            return new DetectorSuite(all);
        }
    }
}
