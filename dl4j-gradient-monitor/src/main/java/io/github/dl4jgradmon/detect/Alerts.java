package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.stats.GradientSnapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Building alert lists without allocating when there is nothing to report. */
final class Alerts {

    private Alerts() {
    }

    /** Appends {@code a} to {@code out}, creating the list on first use. */
    static List<GradientAlert> add(List<GradientAlert> out, GradientAlert a) {
        List<GradientAlert> list = out == null ? new ArrayList<>(2) : out;
        list.add(a);
        return list;
    }

    static List<GradientAlert> orEmpty(List<GradientAlert> out) {
        return out == null ? List.of() : out;
    }

    static GradientAlert of(AlertType type, Severity severity, GradientSnapshot s, String layer, String param,
                            double value, double threshold, String message, String hint) {
        return new GradientAlert(type, severity, s.workerId(), s.iteration(), layer, Optional.ofNullable(param), value,
                threshold, message, hint);
    }
}
