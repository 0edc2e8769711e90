package io.github.dl4jgradmon.alert;

import java.util.Optional;

/** Alerts for tests. */
final class Alerts {

    private Alerts() {
    }

    static GradientAlert alert(AlertType type, Severity severity, String layer, long iteration) {
        return new GradientAlert(type, severity, "0", iteration, layer, Optional.of("W"), 1.5, 1.0,
                "something about " + layer, "do this");
    }
}
