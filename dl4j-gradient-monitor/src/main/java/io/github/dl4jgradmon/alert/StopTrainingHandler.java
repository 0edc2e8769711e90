package io.github.dl4jgradmon.alert;

import java.io.Serial;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Stops training by throwing {@link GradientAlertException} on the first alert of the selected types with at least
 * the selected severity. Default: {@link AlertType#NON_FINITE} alerts of severity {@link Severity#CRITICAL}.
 *
 * <pre>{@code
 * GradientMonitor monitor = GradientMonitor.builder()
 *         .onAlert(StopTrainingHandler.onNonFinite())
 *         .onAlert(StopTrainingHandler.builder()
 *                 .types(AlertType.NON_FINITE, AlertType.EXPLODING)
 *                 .minSeverity(Severity.CRITICAL)
 *                 .build())
 *         .build();
 * }</pre>
 *
 * <p>Stateless apart from its configuration, so it stops on every matching alert: after the exception ends
 * {@code fit}, a new {@code fit} that raises a matching alert stops again.
 */
public final class StopTrainingHandler implements AlertHandler {

    @Serial
    private static final long serialVersionUID = 1L;

    private final AlertSelection selection;

    private StopTrainingHandler(AlertSelection selection) {
        this.selection = selection;
    }

    /** Stops on NaN or Inf gradients or score (CRITICAL {@link AlertType#NON_FINITE} alerts). */
    public static StopTrainingHandler onNonFinite() {
        return new StopTrainingHandler(AlertSelection.DEFAULT);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Set<AlertType> types() {
        return selection.types();
    }

    public Severity minSeverity() {
        return selection.minSeverity();
    }

    /** True when this handler would stop training on {@code alert}. */
    public boolean matches(GradientAlert alert) {
        return selection.matches(alert);
    }

    @Override
    public void onAlert(GradientAlert alert) {
        if (selection.matches(alert)) {
            throw new GradientAlertException(alert);
        }
    }

    @Override
    public String toString() {
        return "StopTrainingHandler{types=" + selection.types() + ", minSeverity=" + selection.minSeverity() + '}';
    }

    /**
     * Configures a {@link StopTrainingHandler}.
     *
     * <pre>{@code
     * StopTrainingHandler stop = StopTrainingHandler.builder().types(AlertType.EXPLODING).build();
     * }</pre>
     */
    public static final class Builder {
        private Set<AlertType> types = AlertSelection.DEFAULT.types();
        private Severity minSeverity = AlertSelection.DEFAULT.minSeverity();

        private Builder() {
        }

        /** The alert types that stop training (at least one). Default {@code NON_FINITE}. */
        public Builder types(AlertType... types) {
            this.types = AlertSelection.checkedTypes(Arrays.asList(types));
            return this;
        }

        /** The least severity that stops training. Default {@code CRITICAL}. */
        public Builder minSeverity(Severity minSeverity) {
            if (minSeverity == null) {
                throw new IllegalArgumentException("minSeverity must be one of " + List.of(Severity.values())
                        + " (got: null)");
            }
            this.minSeverity = minSeverity;
            return this;
        }

        public StopTrainingHandler build() {
            return new StopTrainingHandler(new AlertSelection(types, minSeverity));
        }
    }
}
