package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.util.Checks;
import io.github.dl4jgradmon.util.Text;
import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.stats.GradientSnapshot;

import java.io.Serial;
import java.util.List;

/**
 * {@link AlertType#STALLED}: every layer's gradient is tiny while the loss goes nowhere. The global gradient norm
 * (which bounds every layer's) stays below {@code maxNorm} on {@code window} consecutive snapshots, and over those
 * snapshots the loss stays near its starting level (its mean at least {@code 1 - minImprovement} times the mean of
 * the first {@code warmup} scores, which for a fresh classifier is about chance, e.g. ln 4 for 4 classes), or stops
 * moving (the two halves of the window within 1% of each other) before it has even halved. That is a stalled run,
 * not convergence: a converged net has small gradients BECAUSE its loss has fallen, and this rule reads the loss to
 * tell them apart (AutoTrainer's "slow convergence" symptom reads the accuracy history the same way). The case that
 * motivated it: a 12-layer sigmoid net whose gradients all collapse to ~1e-8 while the loss sits at ln 4; the
 * vanishing rule goes quiet there, since no layer is small next to the others. Snapshots where nothing learns at all
 * (exactly-zero gradients) are {@link NoGradientDetector}'s; NaN/Inf ones are skipped. One WARNING, model-wide.
 *
 * <pre>{@code
 * StallDetector d = StallDetector.builder().maxNorm(1e-5).window(200).build();
 * }</pre>
 *
 * @param maxNorm        global gradient norm below which every layer is tiny (default 1e-4, batch-averaged units, as
 *                       AutoTrainer's vanishing bound)
 * @param window         consecutive snapshots the condition must hold (default 30)
 * @param warmup         first snapshots whose mean score is the starting level (default 10)
 * @param minImprovement fraction of the starting loss the run must shed to count as progressing, in (0, 1)
 *                       (default 0.1)
 */
public record StallDetector(double maxNorm, int window, int warmup, double minImprovement) implements Detector {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Relative difference of the window's two halves below which the loss has stopped moving. */
    static final double FLAT = 0.01;

    public StallDetector {
        Checks.positive("maxNorm", maxNorm);
        Checks.atLeast("window", window, 2);
        Checks.atLeast("warmup", warmup, 1);
        Checks.openUnit("minImprovement", minImprovement);
    }

    public static StallDetector defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public AlertType type() {
        return AlertType.STALLED;
    }

    @Override
    public Session newSession() {
        return new State();
    }

    private final class State implements Session {
        private final double[] scores = new double[window];
        private int run;
        private int started;
        private double startSum;

        @Override
        public List<GradientAlert> inspect(GradientSnapshot s) {
            double score = s.score();
            double g = s.globalGradientNorm();
            if (!Double.isFinite(score) || !Double.isFinite(g)) {
                run = 0;
                return List.of();
            }
            if (started < warmup) {
                startSum += score;
                started++;
            }
            if (!(g > 0 && g < maxNorm)
                    || NoGradientDetector.zeroArrayFraction(s) >= NoGradientDetector.DEFAULT_ZERO_ARRAYS) {
                run = 0;
                return List.of();
            }
            scores[run % window] = score;
            run++;
            if (run < window || started < warmup) {
                return List.of();
            }
            double start = startSum / warmup;
            double first = 0;
            double second = 0;
            int half = window / 2;
            for (int k = 0; k < window; k++) { // oldest first: the ring starts at run % window
                double v = scores[(run + k) % window];
                if (k < half) {
                    first += v;
                } else {
                    second += v;
                }
            }
            first /= half;
            second /= window - half;
            double mean = (first * half + second * (window - half)) / window;
            if (!(start > 0)) {
                return List.of();
            }
            boolean nearStart = mean >= (1 - minImprovement) * start;
            boolean flat = Math.abs(second - first) <= FLAT * Math.abs(mean) && mean >= 0.5 * start;
            if (!nearStart && !flat) {
                return List.of();
            }
            return List.of(Alerts.of(AlertType.STALLED, Severity.WARNING, s, GradientAlert.MODEL, null, g, maxNorm,
                    "every layer's gradient is tiny (global norm " + Text.num(g) + " < " + Text.num(maxNorm)
                            + ") on " + run + " snapshots in a row while the loss " + (nearStart
                            ? "stays near its starting level (" + Text.num(mean) + " vs " + Text.num(start) + ")"
                            : "has stopped moving at " + Text.num(mean) + " (started at " + Text.num(start) + ")")
                            + ": training has stalled, it has not converged", Hints.stalled(s.layers())));
        }
    }

    /**
     * Configures a {@link StallDetector}; each setter checks its value.
     *
     * <pre>{@code
     * StallDetector d = StallDetector.builder().window(100).build();
     * }</pre>
     */
    public static final class Builder {
        private double maxNorm = 1e-4;
        private int window = 30;
        private int warmup = 10;
        private double minImprovement = 0.1;

        private Builder() {
        }

        /** Global gradient norm below which every layer is tiny. Default 1e-4. */
        public Builder maxNorm(double maxNorm) {
            this.maxNorm = Checks.positive("maxNorm", maxNorm);
            return this;
        }

        /** Consecutive snapshots the condition must hold; >= 2. Default 30. */
        public Builder window(int window) {
            this.window = Checks.atLeast("window", window, 2);
            return this;
        }

        /** First snapshots whose mean score is the starting level. Default 10. */
        public Builder warmup(int warmup) {
            this.warmup = Checks.atLeast("warmup", warmup, 1);
            return this;
        }

        /** Fraction of the starting loss the run must shed to count as progressing, in (0, 1). Default 0.1. */
        public Builder minImprovement(double minImprovement) {
            this.minImprovement = Checks.openUnit("minImprovement", minImprovement);
            return this;
        }

        public StallDetector build() {
            return new StallDetector(maxNorm, window, warmup, minImprovement);
        }
    }
}
