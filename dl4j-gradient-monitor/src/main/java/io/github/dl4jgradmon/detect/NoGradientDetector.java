package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.internal.util.Checks;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;
import io.github.dl4jgradmon.stats.ParamGradientStats;

import java.io.Serial;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link AlertType#NO_GRADIENT}: nothing learns. At least {@code zeroArrays} of the model's trainable parameter
 * arrays (by count; all of them when that is 1) got an exactly-zero gradient, on {@code patience} consecutive
 * snapshots: one CRITICAL alert, naming the layers that are entirely silent. Field cases: a zoo ResNet50 whose 107
 * layers all had exactly-zero gradients after two steps of its default RmsProp on random data; a UNet with 47 of its
 * 48 parameter arrays at exactly zero; a ReLU stack whose units are all off (only the output bias still learns). A
 * healthy network never has whole parameter arrays at exactly zero on consecutive batches, except parts that are
 * frozen (they are not in the statistics) or not used by the data. Snapshots with NaN/Inf gradients are left to
 * {@link NonFiniteDetector}.
 *
 * <pre>{@code
 * NoGradientDetector d = NoGradientDetector.builder().zeroArrays(1.0).patience(5).build(); // only a fully dead net
 * }</pre>
 *
 * @param zeroArrays fraction of parameter arrays entirely zero at or above which nothing learns, in (0, 1]
 *                   (default 0.9)
 * @param patience   consecutive snapshots before the alert (default 3)
 */
public record NoGradientDetector(double zeroArrays, int patience) implements Detector {

    @Serial
    private static final long serialVersionUID = 1L;

    static final double DEFAULT_ZERO_ARRAYS = 0.9;

    public NoGradientDetector {
        Checks.fraction("zeroArrays", zeroArrays);
        Checks.atLeast("patience", patience, 1);
    }

    public static NoGradientDetector defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public AlertType type() {
        return AlertType.NO_GRADIENT;
    }

    @Override
    public Session newSession() {
        return new State();
    }

    /** Fraction of the non-empty trainable parameter arrays whose gradient is exactly zero; NaN when there are none. */
    static double zeroArrayFraction(GradientSnapshot s) {
        int arrays = 0;
        int zero = 0;
        for (LayerGradientStats l : s.layers()) {
            for (ParamGradientStats p : l.params().values()) {
                if (p.size() > 0) {
                    arrays++;
                    zero += p.zeroFraction() == 1.0 ? 1 : 0;
                }
            }
        }
        return arrays == 0 ? Double.NaN : (double) zero / arrays;
    }

    private final class State implements Session {
        private int run;

        @Override
        public List<GradientAlert> inspect(GradientSnapshot s) {
            double fraction = zeroArrayFraction(s);
            if (!Double.isFinite(s.globalGradientNorm()) || !(fraction >= zeroArrays)) {
                run = 0;
                return List.of();
            }
            if (++run < patience) {
                return List.of();
            }
            List<String> silent = new ArrayList<>();
            List<String> learning = new ArrayList<>();
            int arrays = 0;
            int zero = 0;
            for (LayerGradientStats l : s.layers()) {
                boolean allZero = true;
                for (Map.Entry<String, ParamGradientStats> e : l.params().entrySet()) {
                    if (e.getValue().size() == 0) {
                        continue;
                    }
                    arrays++;
                    if (e.getValue().zeroFraction() == 1.0) {
                        zero++;
                    } else {
                        allZero = false;
                        learning.add(l.name() + "_" + e.getKey());
                    }
                }
                if (allZero) {
                    silent.add(l.name());
                }
            }
            String message = (zero == arrays ? "every one of the " + arrays + " trainable parameter arrays"
                    : zero + " of the " + arrays + " trainable parameter arrays (all but "
                            + String.join(", ", learning.subList(0, Math.min(SnapshotAlerts.NAMES_SHOWN, learning.size())))
                            + (learning.size() > SnapshotAlerts.NAMES_SHOWN ? " ..." : "") + ")")
                    + " got an exactly-zero gradient on " + run + " snapshots in a row: nothing learns (silent: "
                    + SnapshotAlerts.count(silent) + ")";
            return List.of(SnapshotAlerts.grouped(AlertType.NO_GRADIENT, Severity.CRITICAL, s, GradientAlert.MODEL, silent,
                    null, fraction, zeroArrays, message, Hints.NO_GRADIENT));
        }
    }

    /**
     * Configures a {@link NoGradientDetector}; each setter checks its value.
     *
     * <pre>{@code
     * NoGradientDetector d = NoGradientDetector.builder().patience(10).build();
     * }</pre>
     */
    public static final class Builder {
        private double zeroArrays = DEFAULT_ZERO_ARRAYS;
        private int patience = 3;

        private Builder() {
        }

        /** Fraction of parameter arrays entirely zero at or above which nothing learns, in (0, 1]. Default 0.9. */
        public Builder zeroArrays(double zeroArrays) {
            this.zeroArrays = zeroArrays;
            return checked();
        }

        /** Consecutive snapshots before the alert. Default 3. */
        public Builder patience(int patience) {
            this.patience = patience;
            return checked();
        }

        /** Fails fast: builds once, so a bad value fails at its setter with the record's own message. */
        private Builder checked() {
            build();
            return this;
        }

        public NoGradientDetector build() {
            return new NoGradientDetector(zeroArrays, patience);
        }
    }
}
