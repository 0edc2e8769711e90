package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.internal.util.Checks;
import io.github.dl4jgradmon.internal.util.Text;
import io.github.dl4jgradmon.stats.GradientSnapshot;

import java.io.Serial;
import java.util.List;

/**
 * {@link AlertType#LOSS_SPIKE}: after {@code warmup} snapshots, a score more than {@code factor} times its
 * exponential moving average (Megatron-LM's non-fatal 10x loss check, against a moving level rather than the
 * largest loss so far). A spike enters the average capped at {@code factor} times it, so one spike does not mask the
 * next. Non-finite scores are left to {@link NonFiniteDetector}; a non-positive average (a loss that can be negative)
 * disables the check until it turns positive. Non-fatal: WARNING, or INFO while the spike stays below the starting
 * loss (taken from before any blow-up, see {@link LossLevel}): one minibatch that gives back part of what the run
 * learned is a hard minibatch; a divergence shows in the moving average, which {@link ExplodingDetector} judges
 * (confirmed once it gives back half). A converged classifier whose average is 0.015 against a start of 1.1 and whose
 * minibatch loss jumps to 0.18 (12x) has given back 15% of what it learned; the Iris classifier of the check tool,
 * trained on shuffled minibatches to 0.054, had one jump to 0.57 (about half). Repeats are folded: after a spike alert, further spikes of the same or a lower severity
 * within {@value #FOLD} snapshots raise nothing; the next alert after that says how many were folded. A spike of a
 * higher severity is raised at once.
 *
 * <pre>{@code
 * LossSpikeDetector d = LossSpikeDetector.builder().factor(5).warmup(100).build();
 * }</pre>
 *
 * @param factor how many times its moving average a score may reach; &gt; 1 (default 10)
 * @param warmup scores observed before spikes are judged (default 25)
 * @param alpha  smoothing of the moving average, in (0, 1) (default 0.97)
 */
public record LossSpikeDetector(double factor, int warmup, double alpha) implements Detector {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Snapshots after a spike alert during which spikes of the same or a lower severity are folded into it. */
    static final int FOLD = 1000;

    public LossSpikeDetector {
        Checks.greaterThan("factor", factor, 1);
        Checks.atLeast("warmup", warmup, 1);
        Checks.openUnit("alpha", alpha);
    }

    public static LossSpikeDetector defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public AlertType type() {
        return AlertType.LOSS_SPIKE;
    }

    @Override
    public Session newSession() {
        return new State();
    }

    private final class State implements Session {
        private double average;
        private long count;
        private final LossLevel level = new LossLevel();
        private Severity lastSeverity;
        private long lastAlert = -1;
        private long lastAlertIteration;
        private int folded;

        @Override
        public List<GradientAlert> inspect(GradientSnapshot s) {
            double score = s.score();
            if (!Double.isFinite(score)) {
                return List.of();
            }
            level.add(score, s.iteration());
            List<GradientAlert> out = List.of();
            double limit = factor * average;
            if (count >= warmup && average > 0 && score > limit) {
                double learned = level.start() - average;
                boolean small = learned > 0 && score < level.start();
                Severity severity = small ? Severity.INFO : Severity.WARNING;
                if (lastAlert >= 0 && count - lastAlert < FOLD && severity.compareTo(lastSeverity) <= 0) {
                    folded++;
                } else {
                    out = List.of(SnapshotAlerts.of(AlertType.LOSS_SPIKE, severity, s, GradientAlert.MODEL, null, score,
                            limit, "score jumped to " + Text.num(score) + ", " + Text.num(score / average)
                                    + " times its moving average " + Text.num(average) + " (limit " + Text.num(factor)
                                    + "x)" + (small ? "; it gives back " + Text.num(100 * (score - average) / learned)
                                    + "% of what the run learned (start " + Text.num(level.start()) + "), a hard "
                                    + "minibatch rather than a divergence" : "") + (folded > 0 ? "; " + folded
                                    + " more spike" + (folded == 1 ? "" : "s") + " since iteration " + lastAlertIteration
                                    + " folded into the previous alert" : ""),
                            small ? Hints.LOSS_SPIKE_SMALL : Hints.LOSS_SPIKE));
                    lastSeverity = severity;
                    lastAlert = count;
                    lastAlertIteration = s.iteration();
                    folded = 0;
                }
                score = limit;
            }
            average = count == 0 ? score : alpha * average + (1 - alpha) * score;
            count++;
            return out;
        }
    }

    /**
     * Configures a {@link LossSpikeDetector}; each setter checks its value.
     *
     * <pre>{@code
     * LossSpikeDetector d = LossSpikeDetector.builder().factor(20).build();
     * }</pre>
     */
    public static final class Builder {
        private double factor = 10;
        private int warmup = 25;
        private double alpha = 0.97;

        private Builder() {
        }

        /** Times its moving average a score may reach; > 1. Default 10. */
        public Builder factor(double factor) {
            this.factor = factor;
            return checked();
        }

        /** Scores observed before spikes are judged. Default 25. */
        public Builder warmup(int warmup) {
            this.warmup = warmup;
            return checked();
        }

        /** Smoothing of the moving average, in (0, 1). Default 0.97. */
        public Builder alpha(double alpha) {
            this.alpha = alpha;
            return checked();
        }

        /** Fails fast: builds once, so a bad value fails at its setter with the record's own message. */
        private Builder checked() {
            build();
            return this;
        }

        public LossSpikeDetector build() {
            return new LossSpikeDetector(factor, warmup, alpha);
        }
    }
}
