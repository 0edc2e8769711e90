package io.github.dl4jgradmon.detect;

/** Option validation with messages that name the option, the rule and the value. */
final class Checks {

    private Checks() {
    }

    static double positive(String name, double value) {
        if (!(value > 0)) {
            throw new IllegalArgumentException(name + " must be > 0 (got: " + value + ")");
        }
        return value;
    }

    static double finite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number (got: " + value + ")");
        }
        return value;
    }

    static double greaterThan(String name, double value, double bound) {
        if (!(value > bound)) {
            throw new IllegalArgumentException(name + " must be > " + bound + " (got: " + value + ")");
        }
        return value;
    }

    /** {@code value} in the open interval (0, 1). */
    static double openUnit(String name, double value) {
        if (!(value > 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in (0, 1) (got: " + value + ")");
        }
        return value;
    }

    /** {@code value} in the half-open interval (0, 1]. */
    static double fraction(String name, double value) {
        if (!(value > 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be in (0, 1] (got: " + value + ")");
        }
        return value;
    }

    static int atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + " (got: " + value + ")");
        }
        return value;
    }
}
