package io.github.dl4jgradmon.internal.util;

/**
 * Option validation, for every package of the library: each message names the option, the rule and the value,
 * e.g. {@code "maxNorm must be > 0 (got: -1.0)"}. Internal.
 *
 * <p>Infinity: {@link #positive} accepts {@code +Infinity} (several options document it as "off", e.g. a detector's
 * ceiling); {@link #positiveFinite} rejects it, for values that are computed with (a clipping threshold, a floor).
 */
public final class Checks {

    private Checks() {
    }

    /** {@code value > 0}; {@code +Infinity} is allowed. */
    public static double positive(String name, double value) {
        if (!(value > 0)) {
            throw new IllegalArgumentException(name + " must be > 0 (got: " + value + ")");
        }
        return value;
    }

    /** {@code value > 0} and finite. */
    public static double positiveFinite(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be > 0 and finite (got: " + value + ")");
        }
        return value;
    }

    public static double finite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number (got: " + value + ")");
        }
        return value;
    }

    public static double greaterThan(String name, double value, double bound) {
        if (!(value > bound)) {
            throw new IllegalArgumentException(name + " must be > " + bound + " (got: " + value + ")");
        }
        return value;
    }

    /** {@code value} in the open interval (0, 1). */
    public static double openUnit(String name, double value) {
        if (!(value > 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in (0, 1) (got: " + value + ")");
        }
        return value;
    }

    /** {@code value} in the half-open interval (0, 1]. */
    public static double fraction(String name, double value) {
        if (!(value > 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be in (0, 1] (got: " + value + ")");
        }
        return value;
    }

    /** {@code value} in (0, 100]. */
    public static double percentile(String name, double value) {
        if (!(value > 0 && value <= 100)) {
            throw new IllegalArgumentException(name + " must be in (0, 100] (got: " + value + ")");
        }
        return value;
    }

    public static int atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + " (got: " + value + ")");
        }
        return value;
    }

    /**
     * {@code value} itself; an IllegalArgumentException with {@code message} when it is null. The message names the
     * option and the way out, e.g. {@code "detectors must not be null (use DetectorSuite.none() to disable)"}.
     */
    public static <T> T notNull(T value, String message) {
        if (value == null) {
            throw new IllegalArgumentException(message);
        }
        return value;
    }
}
