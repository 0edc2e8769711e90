package io.github.dl4jgradmon.alert;

import org.deeplearning4j.earlystopping.termination.IterationTerminationCondition;

import java.io.Serial;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Ends DL4J early-stopping training after an alert, without an exception: register the same instance as an alert
 * handler of the monitor and as an iteration termination condition. It records the first alert of the selected types
 * and severity; {@link #terminate(double)} then returns true, and {@link #toString()} names the alert, so
 * {@code EarlyStoppingResult.getTerminationDetails()} says why training stopped.
 *
 * <pre>{@code
 * AlertTerminationCondition onNaN = AlertTerminationCondition.onNonFinite();
 * net.addListeners(GradientMonitor.builder().onAlert(onNaN).build());
 * EarlyStoppingConfiguration<MultiLayerNetwork> es = new EarlyStoppingConfiguration.Builder<MultiLayerNetwork>()
 *         .iterationTerminationConditions(onNaN)
 *         .epochTerminationConditions(new MaxEpochsTerminationCondition(50))
 *         .scoreCalculator(new DataSetLossCalculator(validation, true))
 *         .build();
 * EarlyStoppingResult<MultiLayerNetwork> result = new EarlyStoppingTrainer(es, net, train).fit();
 * System.out.println(result.getTerminationDetails());
 * // AlertTerminationCondition(NON_FINITE CRITICAL alert at iteration 57, layer layer2: ...)
 * }</pre>
 *
 * <p>Thread-safe: alerts arrive on training threads, {@code terminate} is asked on the trainer's thread.
 * {@link #initialize()} (called by the trainer when it starts) forgets a recorded alert. Serializable with its state.
 */
public final class AlertTerminationCondition implements IterationTerminationCondition, AlertHandler {

    @Serial
    private static final long serialVersionUID = 1L;

    private final AlertSelection selection;
    private final AtomicReference<GradientAlert> first = new AtomicReference<>();

    private AlertTerminationCondition(AlertSelection selection) {
        this.selection = selection;
    }

    /** Terminates on NaN or Inf gradients or score (CRITICAL {@link AlertType#NON_FINITE} alerts). */
    public static AlertTerminationCondition onNonFinite() {
        return new AlertTerminationCondition(AlertSelection.DEFAULT);
    }

    /** Terminates on alerts of any of {@code types} with at least {@code minSeverity}. */
    public static AlertTerminationCondition on(Severity minSeverity, AlertType... types) {
        if (minSeverity == null) {
            throw new IllegalArgumentException("minSeverity must be one of " + List.of(Severity.values())
                    + " (got: null)");
        }
        return new AlertTerminationCondition(new AlertSelection(AlertSelection.checkedTypes(Arrays.asList(types)),
                minSeverity));
    }

    @Override
    public void onAlert(GradientAlert alert) {
        if (selection.matches(alert)) {
            first.compareAndSet(null, alert);
        }
    }

    @Override
    public void initialize() {
        first.set(null);
    }

    @Override
    public boolean terminate(double lastMiniBatchScore) {
        return first.get() != null;
    }

    /** The first matching alert since {@link #initialize()}, if any. */
    public Optional<GradientAlert> alert() {
        return Optional.ofNullable(first.get());
    }

    public Set<AlertType> types() {
        return selection.types();
    }

    public Severity minSeverity() {
        return selection.minSeverity();
    }

    @Override
    public String toString() {
        GradientAlert a = first.get();
        if (a == null) {
            return "AlertTerminationCondition(types=" + selection.types() + ", minSeverity="
                    + selection.minSeverity() + ", not triggered)";
        }
        return "AlertTerminationCondition(" + a.type() + " " + a.severity() + " alert at iteration " + a.iteration()
                + ", layer " + a.layerLabel() + a.param().map(p -> " param " + p).orElse("") + ", worker "
                + a.workerId() + ": " + a.message() + ")";
    }
}
