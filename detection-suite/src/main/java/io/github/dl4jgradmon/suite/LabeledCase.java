package io.github.dl4jgradmon.suite;

import io.github.dl4jgradmon.alert.AlertType;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One model with a known gradient outcome: what it is, which single alert type the detectors must report on it
 * (none for a healthy model), and how to train it.
 *
 * <pre>{@code
 * LabeledCase c = LabeledCases.byName("vanishing-sigmoid-mlp");
 * CaseResult r = CaseRunner.run(c);
 * boolean caught = r.detected();
 * }</pre>
 *
 * <p>A problem case has exactly one label: raising any other type on it is counted against that type's precision,
 * even when it is a plausible consequence of the problem. Labels are alert-type NAMES so that a case can name a type
 * the detectors under test do not have yet (it then counts as missed).
 *
 * @param name          short identifier, e.g. {@code vanishing-sigmoid-mlp}
 * @param networkKind   {@code MLN} or {@code CG}
 * @param description   what the model is, where its configuration comes from, and why it has (or has not) a problem
 * @param label         the alert type name that must be raised at WARNING or above; empty for a healthy model
 * @param onset         first iteration at which the problem is present (0 for problems built into the model); the
 *                      latency of NON_FINITE is measured from the first non-finite gradient instead
 * @param iterations    maximum training iterations (DL4J iterations: a truncated-BPTT segment is one)
 * @param minIterations the run may stop early once the loss has flattened ({@link Convergence}), but not before this;
 *                      equal to {@code iterations} for a fixed-length run
 * @param maxSeconds    wall-clock budget of the run; 0 for none. A run stopped by it says so in its result.
 * @param chance        the loss of a model that has learnt nothing, from the training batches (NaN when undefined)
 * @param net           builds a fresh, initialised MultiLayerNetwork or ComputationGraph
 * @param data          the minibatches ({@code DataSet} or {@code MultiDataSet}), cycled; a healthy case's last
 *                      minibatch is held out (never trained on) to measure accuracy
 */
public record LabeledCase(String name, String networkKind, String description, Optional<String> label, int onset,
                          int iterations, int minIterations, int maxSeconds, Chance chance, Supplier<Object> net,
                          Supplier<? extends List<?>> data) {

    public LabeledCase {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(networkKind, "networkKind");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(chance, "chance");
        Objects.requireNonNull(net, "net");
        Objects.requireNonNull(data, "data");
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be >= 1 (got: " + iterations + ")");
        }
        if (onset < 0 || onset >= iterations) {
            throw new IllegalArgumentException("onset must be in [0, iterations) (got: " + onset + ")");
        }
        if (minIterations < 1 || minIterations > iterations) {
            throw new IllegalArgumentException("minIterations must be in [1, iterations] (got: " + minIterations
                    + ")");
        }
        if (maxSeconds < 0) {
            throw new IllegalArgumentException("maxSeconds must be >= 0 (got: " + maxSeconds + ")");
        }
    }

    /** A problem case: fixed length, labeled with one alert type. */
    public static LabeledCase problem(String name, String networkKind, String description, AlertType label,
                                      int onset, int iterations, Supplier<Object> net,
                                      Supplier<? extends List<?>> data) {
        return problem(name, networkKind, description, label.name(), onset, iterations, net, data);
    }

    /** A problem case labeled with a type given by name (one the detectors under test may not have yet). */
    public static LabeledCase problem(String name, String networkKind, String description, String label,
                                      int onset, int iterations, Supplier<Object> net,
                                      Supplier<? extends List<?>> data) {
        return new LabeledCase(name, networkKind, description, Optional.of(label), onset, iterations, iterations, 0,
                Chance.NONE, net, data);
    }

    /** A healthy model trained for exactly {@code iterations}. */
    public static LabeledCase healthy(String name, String networkKind, String description, int iterations,
                                      Chance chance, Supplier<Object> net, Supplier<? extends List<?>> data) {
        return new LabeledCase(name, networkKind, description, Optional.empty(), 0, iterations, iterations, 0,
                chance, net, data);
    }

    /** The same case allowed to stop once its loss has flattened after {@code min} iterations, within a budget. */
    public LabeledCase untilFlat(int min, int seconds) {
        return new LabeledCase(name, networkKind, description, label, onset, iterations, min, seconds, chance, net,
                data);
    }

    /**
     * The same case with another wall-clock budget, if it has one (a run that may stop once flat); fixed-length runs
     * are returned unchanged.
     */
    public LabeledCase withBudget(int seconds) {
        if (maxSeconds == 0) {
            return this;
        }
        return new LabeledCase(name, networkKind, description, label, onset, iterations, minIterations, seconds,
                chance, net, data);
    }

    /** The same case as a fixed-length run of {@code n} iterations (a short run for CI). */
    public LabeledCase limitedTo(int n) {
        return new LabeledCase(name, networkKind, description, label, Math.min(onset, n - 1), n, n, 0, chance, net,
                data);
    }

    /** True for a healthy model: no problem expected. */
    public boolean healthy() {
        return label.isEmpty();
    }

    /** Whether this case is labeled with {@code type}. */
    public boolean labeled(String type) {
        return label.isPresent() && label.get().equals(type);
    }

    /** Whether this case is labeled with {@code type}. */
    public boolean labeled(AlertType type) {
        return labeled(type.name());
    }
}
