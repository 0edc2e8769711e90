package io.github.dl4jgradmon.alert;

import java.io.Serial;
import java.io.Serializable;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/** Which alerts a stopping handler acts on: those of one of {@code types} with at least {@code minSeverity}. */
record AlertSelection(Set<AlertType> types, Severity minSeverity) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    static final AlertSelection DEFAULT = new AlertSelection(EnumSet.of(AlertType.NON_FINITE), Severity.CRITICAL);

    AlertSelection {
        Objects.requireNonNull(minSeverity, "minSeverity");
        types = checkedTypes(types);
    }

    boolean matches(GradientAlert alert) {
        return types.contains(alert.type()) && alert.severity().isAtLeast(minSeverity);
    }

    static Set<AlertType> checkedTypes(Collection<AlertType> types) {
        Objects.requireNonNull(types, "types");
        if (types.isEmpty()) {
            throw new IllegalArgumentException("types must name at least one AlertType (got: [])");
        }
        for (AlertType t : types) {
            Objects.requireNonNull(t, "types must not contain null");
        }
        return Set.copyOf(EnumSet.copyOf(types));
    }
}
