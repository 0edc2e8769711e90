package io.github.dl4jgradmon.suite;

import io.github.dl4jgradmon.alert.AlertType;
import org.nd4j.linalg.dataset.DataSet;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One model with a known gradient outcome: what it is, what the detectors must report on it, and how to train it.
 *
 * <pre>{@code
 * LabeledCase c = LabeledCases.byName("vanishing-sigmoid-mlp");
 * CaseResult r = CaseRunner.run(c);
 * boolean caught = r.raised(AlertType.VANISHING);
 * }</pre>
 *
 * @param name        short identifier, e.g. {@code vanishing-sigmoid-mlp}
 * @param networkKind {@code MLN} or {@code CG}
 * @param description what the model is and why it has (or does not have) a problem
 * @param expected    alert types that must be raised at WARNING or above; empty for a healthy twin
 * @param tolerated   further types that are a true consequence of the problem (e.g. EXPLODING before the NaN of an
 *                    overflowing learning rate): raising them is not a false alarm, missing them is not a miss
 * @param onset       first iteration at which the problem is present (0 for problems built into the model); the
 *                    latency of NON_FINITE is measured from the first non-finite gradient instead
 * @param iterations  training iterations (one minibatch each)
 * @param net         builds a fresh, initialised MultiLayerNetwork or ComputationGraph
 * @param data        the minibatches, cycled through {@code iterations} times
 */
public record LabeledCase(String name, String networkKind, String description, Set<AlertType> expected,
                          Set<AlertType> tolerated, int onset, int iterations, Supplier<Object> net,
                          Supplier<List<DataSet>> data) {

    public LabeledCase {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(networkKind, "networkKind");
        Objects.requireNonNull(description, "description");
        expected = Set.copyOf(expected);
        tolerated = Set.copyOf(tolerated);
        Objects.requireNonNull(net, "net");
        Objects.requireNonNull(data, "data");
        if (onset < 0 || onset >= iterations) {
            throw new IllegalArgumentException("onset must be in [0, iterations) (got: " + onset + ")");
        }
    }

    /** True for a healthy twin: no problem expected. */
    public boolean healthy() {
        return expected.isEmpty();
    }

    /** Whether raising {@code type} on this case is correct (expected or tolerated). */
    public boolean allows(AlertType type) {
        return expected.contains(type) || tolerated.contains(type);
    }
}
