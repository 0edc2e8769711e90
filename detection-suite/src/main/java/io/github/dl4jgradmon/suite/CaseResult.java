package io.github.dl4jgradmon.suite;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the default detectors said about one {@link LabeledCase}.
 *
 * @param labeledCase           the case
 * @param alerts                every alert raised, in order
 * @param firstNonFiniteGradient the first iteration whose raw gradient held a NaN or Inf, found by an ND4J check
 *                              independent of the monitor; empty if none did
 * @param millis                wall time of the training run
 */
public record CaseResult(LabeledCase labeledCase, List<GradientAlert> alerts, OptionalLong firstNonFiniteGradient,
                         long millis) {

    public CaseResult {
        alerts = List.copyOf(alerts);
    }

    /** Whether an alert of this type at WARNING or above was raised. */
    public boolean raised(AlertType type) {
        return first(type).isPresent();
    }

    /** Types raised at WARNING or above. */
    public Set<AlertType> raisedTypes() {
        Set<AlertType> out = new TreeSet<>();
        for (GradientAlert a : alerts) {
            if (a.severity().isAtLeast(Severity.WARNING)) {
                out.add(a.type());
            }
        }
        return out;
    }

    /** The first alert of this type at WARNING or above. */
    public Optional<GradientAlert> first(AlertType type) {
        return alerts.stream().filter(a -> a.type() == type && a.severity().isAtLeast(Severity.WARNING)).findFirst();
    }

    /**
     * Iterations from the problem's onset to the first alert of this type: from the first non-finite gradient for
     * NON_FINITE, from {@link LabeledCase#onset()} otherwise. Empty when not raised.
     */
    public OptionalLong latency(AlertType type) {
        Optional<GradientAlert> a = first(type);
        if (a.isEmpty()) {
            return OptionalLong.empty();
        }
        long onset = type == AlertType.NON_FINITE && firstNonFiniteGradient.isPresent()
                ? firstNonFiniteGradient.getAsLong() : labeledCase.onset();
        return OptionalLong.of(a.get().iteration() - onset);
    }

    /** Types raised at WARNING or above that the case neither expects nor tolerates: false alarms. */
    public Set<AlertType> falseAlarms() {
        Set<AlertType> out = new TreeSet<>(raisedTypes());
        out.removeIf(labeledCase::allows);
        return out;
    }

    /** Expected types that were not raised: misses. */
    public Set<AlertType> misses() {
        Set<AlertType> out = new TreeSet<>(labeledCase.expected());
        out.removeIf(this::raised);
        return out;
    }
}
