package io.github.dl4jgradmon;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.detect.Detector;
import io.github.dl4jgradmon.stats.GradientSnapshot;

import java.util.List;
import java.util.Optional;

/** A test detector that raises one EXPLODING WARNING on every snapshot. */
record AlwaysExploding() implements Detector {
    @Override
    public AlertType type() {
        return AlertType.EXPLODING;
    }

    @Override
    public Session newSession() {
        return (GradientSnapshot s) -> List.of(new GradientAlert(AlertType.EXPLODING, Severity.WARNING,
                s.workerId(), s.iteration(), GradientAlert.MODEL, Optional.empty(), 1, 1, "test", "test"));
    }
}
