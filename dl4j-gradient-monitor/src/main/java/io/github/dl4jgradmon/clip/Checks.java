package io.github.dl4jgradmon.clip;

/** Argument checks whose messages name the option, the rule and the value. */
final class Checks {

    private Checks() {
    }

    static double positive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be > 0 and finite (got: " + value + ")");
        }
        return value;
    }

    static double percentile(String name, double value) {
        if (!(value > 0 && value <= 100)) {
            throw new IllegalArgumentException(name + " must be in (0, 100] (got: " + value + ")");
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
