package io.github.dl4jgradmon.suite;

import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the detectors said about one {@link LabeledCase}, and how its training went.
 *
 * @param labeledCase            the case
 * @param alerts                 every alert the monitor passed on (onset and repeats), in order
 * @param firstNonFiniteGradient the first iteration whose raw gradient held a NaN or Inf, found by an ND4J check
 *                               independent of the monitor; empty if none did
 * @param iterations             DL4J iterations trained
 * @param startLoss              mean score of the first {@link Convergence#START} iterations
 * @param endLoss                mean score of the last {@link Convergence#WINDOW} iterations (fewer if the run was
 *                               shorter)
 * @param chanceLoss             the case's {@link Chance} level on its training batches (NaN when undefined)
 * @param accuracy               accuracy on the held-out minibatch (healthy classifiers), empty otherwise
 * @param stop                   why the run ended
 * @param millis                 wall time of the training run
 */
public record CaseResult(LabeledCase labeledCase, List<GradientAlert> alerts, OptionalLong firstNonFiniteGradient,
                         long iterations, double startLoss, double endLoss, double chanceLoss,
                         OptionalDouble accuracy, Stop stop, long millis) {

    /** Why a run ended. */
    public enum Stop {
        /** It ran its fixed number of iterations (problem cases, fixed-length healthy runs). */
        FIXED,
        /** Its loss flattened ({@link Convergence}) after its minimum number of iterations. */
        FLAT,
        /** It reached its maximum number of iterations before the loss flattened. */
        MAX_ITERATIONS,
        /** Its wall-clock budget ran out before either. */
        TIME_BUDGET
    }

    public CaseResult {
        alerts = List.copyOf(alerts);
    }

    /** Alert type names raised at WARNING or above. */
    public Set<String> raisedTypes() {
        Set<String> out = new TreeSet<>();
        for (GradientAlert a : alerts) {
            if (a.severity().isAtLeast(Severity.WARNING)) {
                out.add(a.type().name());
            }
        }
        return out;
    }

    /** Alert type names raised at INFO only (never at WARNING or above). */
    public Set<String> infoOnlyTypes() {
        Set<String> out = new TreeSet<>();
        for (GradientAlert a : alerts) {
            out.add(a.type().name());
        }
        out.removeAll(raisedTypes());
        return out;
    }

    /** Whether an alert of this type at WARNING or above was raised. */
    public boolean raised(String type) {
        return first(type).isPresent();
    }

    /** The first alert of this type at WARNING or above. */
    public Optional<GradientAlert> first(String type) {
        return alerts.stream().filter(a -> a.type().name().equals(type) && a.severity().isAtLeast(Severity.WARNING))
                .findFirst();
    }

    /** Alerts of this severity. */
    public long count(Severity severity) {
        return alerts.stream().filter(a -> a.severity() == severity).count();
    }

    /** Whether the case's label was raised at WARNING or above (false for a healthy case). */
    public boolean detected() {
        return labeledCase.label().map(this::raised).orElse(false);
    }

    /**
     * Iterations from the problem's onset to the first alert of its label: from the first non-finite gradient for
     * NON_FINITE, from {@link LabeledCase#onset()} otherwise. Empty when not raised or healthy.
     */
    public OptionalLong latency() {
        if (labeledCase.label().isEmpty()) {
            return OptionalLong.empty();
        }
        String type = labeledCase.label().get();
        Optional<GradientAlert> a = first(type);
        if (a.isEmpty()) {
            return OptionalLong.empty();
        }
        long onset = type.equals("NON_FINITE") && firstNonFiniteGradient.isPresent()
                ? firstNonFiniteGradient.getAsLong() : labeledCase.onset();
        return OptionalLong.of(a.get().iteration() - onset);
    }

    /**
     * Types raised at WARNING or above that are not the case's label: false alarms. On a healthy case every
     * WARNING/CRITICAL type is one.
     */
    public Set<String> falseAlarmTypes() {
        Set<String> out = new TreeSet<>(raisedTypes());
        labeledCase.label().ifPresent(out::remove);
        return out;
    }

    /** WARNING/CRITICAL alerts (onsets and repeats) whose type is not the case's label. */
    public long falseAlarmCount() {
        return alerts.stream().filter(a -> a.severity().isAtLeast(Severity.WARNING)
                && !labeledCase.labeled(a.type().name())).count();
    }

    /** WARNING/CRITICAL alerts of this type (onsets and repeats). */
    public long count(String type) {
        return alerts.stream().filter(a -> a.severity().isAtLeast(Severity.WARNING)
                && a.type().name().equals(type)).count();
    }

    /**
     * Whether a healthy model learnt: its final loss is at most half its chance level (or, without a chance level, at
     * most a fifth of its starting loss), or its held-out accuracy is at least 90%.
     */
    public boolean learned() {
        if (!Double.isFinite(endLoss)) {
            return false;
        }
        if (accuracy.isPresent() && accuracy.getAsDouble() >= 0.9) {
            return true;
        }
        return Double.isFinite(chanceLoss) ? endLoss <= 0.5 * chanceLoss : endLoss <= 0.2 * startLoss;
    }
}
