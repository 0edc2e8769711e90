package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.internal.util.Checks;
import io.github.dl4jgradmon.internal.util.Text;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;
import io.github.dl4jgradmon.stats.ParamGradientStats;

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
 * <p>A second rule catches a run that goes nowhere with its gradients alive (AutoTrainer's "oscillating loss" and
 * "slow convergence"): after {@value #NOWHERE_AFTER} snapshots, the mean score of the last {@value #NOWHERE_WINDOW}
 * is at or above half the chance level of a softmax classifier ({@code ln k} for the {@code k} units of the one output
 * layer, when the model has exactly one {@code OutputLayer} with a softmax activation and a bias) and no longer falls
 * (less than {@value #NOWHERE_FALL} below the mean of the {@value #NOWHERE_WINDOW} before), or it is at or above
 * {@value #NOWHERE_OF_START} of its starting loss (the lower of the first score and the mean of the first ten),
 * while the global gradient norm is at or above {@code maxNorm}. Half the chance level is the detection suite's bar
 * for a model that learned. The case that motivated it: a 4-block ReLU +
 * batch-normalization classifier fed the Iris rows in file order (every minibatch one class) ended 1,000 iterations
 * at a last-minibatch loss of 1.1-1.2, about ln 3, with its output layer's gradient near 0.9, and raised nothing. WARNING, model-wide,
 * with a hint about minibatch composition, the learning rate and batch normalization with small minibatches.
 *
 * <p>On a recurrent MultiLayerNetwork the monitor then measures how far back through time the loss's gradient
 * reaches; when the first steps get less than 1e-3 of it, it reports {@link AlertType#VANISHING} (through time) on
 * the recurrent layer instead of this alert (docs/diagnoses.md).
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

    /** Snapshots before the going-nowhere rule judges: a healthy net has left its start and chance level by then. */
    static final int NOWHERE_AFTER = 200;
    /** Snapshots whose mean score the going-nowhere rule compares with the start and chance levels. */
    static final int NOWHERE_WINDOW = 100;
    /**
     * A window mean less than this fraction below the window before has stopped falling: the Iris net on one-class
     * minibatches went 0.95, 0.80, 0.75 over its first three hundred iterations (6% then 5%), at 68% of chance.
     */
    static final double NOWHERE_FALL = 0.1;
    /** A mean score at or above this fraction of the start has gone nowhere. */
    static final double NOWHERE_OF_START = 0.95;

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

        private final LossLevel level = new LossLevel();
        private final double[] recent = new double[2 * NOWHERE_WINDOW];
        private double earlierSum;
        private double recentSum;
        private long seen;

        @Override
        public List<GradientAlert> inspect(GradientSnapshot s) {
            double score = s.score();
            double g = s.globalGradientNorm();
            if (!Double.isFinite(score) || !Double.isFinite(g)) {
                run = 0;
                return List.of();
            }
            level.add(score);
            int slot = (int) (seen % (2 * NOWHERE_WINDOW));
            int leaving = (int) ((seen + NOWHERE_WINDOW) % (2 * NOWHERE_WINDOW)); // NOWHERE_WINDOW scores ago
            recentSum += score - recent[leaving];
            earlierSum += recent[leaving] - recent[slot];
            recent[slot] = score;
            seen++;
            List<GradientAlert> tiny = tinyGradients(s, score, g);
            return tiny.isEmpty() ? goingNowhere(s, g) : tiny;
        }

        /** The second rule: a mean loss at its start or chance level after many snapshots, gradients alive. */
        private List<GradientAlert> goingNowhere(GradientSnapshot s, double g) {
            if (seen < NOWHERE_AFTER || g < maxNorm
                    || NoGradientDetector.zeroArrayFraction(s) >= NoGradientDetector.DEFAULT_ZERO_ARRAYS) {
                return List.of();
            }
            double mean = recentSum / NOWHERE_WINDOW;
            double before = earlierSum / NOWHERE_WINDOW;
            double start = level.start();
            double chance = chance(s);
            boolean falling = seen >= 2 * NOWHERE_WINDOW && mean < (1 - NOWHERE_FALL) * before;
            boolean aboveChance = mean >= 0.5 * chance && !falling;
            boolean atStart = start > 0 && mean >= NOWHERE_OF_START * start;
            if (!aboveChance && !atStart) {
                return List.of();
            }
            String where = aboveChance ? "at or above half the chance level of its " + classes(s) + "-class softmax "
                    + "output (ln " + classes(s) + " = " + Text.num(chance) + ") and no longer falling"
                    : "at " + Text.num(100 * mean / start) + "% of its start " + Text.num(start);
            return List.of(SnapshotAlerts.of(AlertType.STALLED, Severity.WARNING, s, GradientAlert.MODEL, null, mean,
                    aboveChance ? 0.5 * chance : NOWHERE_OF_START * start, "the loss has gone nowhere: its mean over the "
                            + "last " + NOWHERE_WINDOW + " snapshots is " + Text.num(mean) + ", " + where + ", after "
                            + seen + " snapshots, while the gradients are alive (global norm " + Text.num(g)
                            + "): the network is not learning", Hints.NOT_LEARNING));
        }

        private List<GradientAlert> tinyGradients(GradientSnapshot s, double score, double g) {
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
            return List.of(SnapshotAlerts.of(AlertType.STALLED, Severity.WARNING, s, GradientAlert.MODEL, null, g, maxNorm,
                    "every layer's gradient is tiny (global norm " + Text.num(g) + " < " + Text.num(maxNorm)
                            + ") on " + run + " snapshots in a row while the loss " + (nearStart
                            ? "stays near its starting level (" + Text.num(mean) + " vs " + Text.num(start) + ")"
                            : "has stopped moving at " + Text.num(mean) + " (started at " + Text.num(start) + ")")
                            + ": training has stalled, it has not converged", Hints.stalled(s.layers())));
        }
    }

    /**
     * The number of classes of the model's one softmax {@code OutputLayer} (the size of its bias), or 0 when the model
     * has another kind of output, several outputs, or no bias to count.
     */
    static int classes(GradientSnapshot s) {
        if (s.graph().outputSideCount() != 1) {
            return 0;
        }
        LayerGradientStats out = s.layers().get(s.graph().outputSide(0));
        if (!"OutputLayer".equals(out.type()) || !"softmax".equals(out.activation())) {
            return 0;
        }
        ParamGradientStats b = out.params().get("b");
        return b == null || b.size() < 2 || b.size() > Integer.MAX_VALUE ? 0 : (int) b.size();
    }

    /** ln k for a k-class softmax classifier ({@link #classes}); infinity (never reached) otherwise. */
    static double chance(GradientSnapshot s) {
        int k = classes(s);
        return k >= 2 ? Math.log(k) : Double.POSITIVE_INFINITY;
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
            this.maxNorm = maxNorm;
            return checked();
        }

        /** Consecutive snapshots the condition must hold; >= 2. Default 30. */
        public Builder window(int window) {
            this.window = window;
            return checked();
        }

        /** First snapshots whose mean score is the starting level. Default 10. */
        public Builder warmup(int warmup) {
            this.warmup = warmup;
            return checked();
        }

        /** Fraction of the starting loss the run must shed to count as progressing, in (0, 1). Default 0.1. */
        public Builder minImprovement(double minImprovement) {
            this.minImprovement = minImprovement;
            return checked();
        }

        /** Fails fast: builds once, so a bad value fails at its setter with the record's own message. */
        private Builder checked() {
            build();
            return this;
        }

        public StallDetector build() {
            return new StallDetector(maxNorm, window, warmup, minImprovement);
        }
    }
}
