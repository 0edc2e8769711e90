package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.stats.GradientSnapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Alerts made from a snapshot (stamped with its worker and iteration), one alert for a condition that spans layers,
 * and alert lists that allocate nothing when there is nothing to report.
 */
final class SnapshotAlerts {

    /** Layer names written out in a message before "and N more". */
    static final int NAMES_SHOWN = 8;

    private SnapshotAlerts() {
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

    /** One alert for a condition spanning {@code layers} (layer order), filed under {@code anchor}. */
    static GradientAlert grouped(AlertType type, Severity severity, GradientSnapshot s, String anchor,
                                 List<String> layers, String param, double value, double threshold, String message,
                                 String hint) {
        return new GradientAlert(type, severity, s.workerId(), s.iteration(), anchor, Optional.ofNullable(param),
                value, threshold, message, hint, layers);
    }

    /** "3 layers: a, b, c" or "120 layers: a, b, ... and 112 more". */
    static String count(List<String> names) {
        StringBuilder b = new StringBuilder();
        b.append(names.size()).append(names.size() == 1 ? " layer: " : " layers: ");
        for (int i = 0; i < Math.min(NAMES_SHOWN, names.size()); i++) {
            b.append(i == 0 ? "" : ", ").append(names.get(i));
        }
        if (names.size() > NAMES_SHOWN) {
            b.append(" ... and ").append(names.size() - NAMES_SHOWN).append(" more");
        }
        return b.toString();
    }

    /**
     * Keeps the layer a persisting multi-layer condition is filed under stable while the set of layers shifts, so
     * that the monitor's repeat suppression (keyed by type, severity and layer) sees one condition.
     */
    static final class Anchor {
        private String current;

        /** The anchor for this snapshot's affected layers (non-empty, layer order). */
        String pick(List<String> affected) {
            if (current == null || !affected.contains(current)) {
                current = affected.get(0);
            }
            return current;
        }

        /** The condition cleared. */
        void clear() {
            current = null;
        }
    }
}
