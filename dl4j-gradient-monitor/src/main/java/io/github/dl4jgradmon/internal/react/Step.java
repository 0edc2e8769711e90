package io.github.dl4jgradmon.internal.react;

import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.internal.model.ModelAdapter;
import io.github.dl4jgradmon.internal.stats.FlatSegments;
import io.github.dl4jgradmon.internal.stats.LayoutScanner;
import io.github.dl4jgradmon.internal.stats.StepHeader;
import io.github.dl4jgradmon.stats.Reaction;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One training step of one model, from {@code onGradientCalculation} to its {@code iterationDone}: what the
 * reactions read (statistics, score, DL4J's counters) and what they leave for the snapshot ({@link #reaction()}).
 * The {@link #token()} is unique per step of a worker: state a reaction keeps for a step carries it, and is used only
 * for the step with the same token.
 *
 * <p>A step spans two callbacks but holds the model only inside one: the monitor {@link #bind binds} it to the
 * callback's adapter and {@link #release releases} it when the callback returns, so a step that DL4J never finishes
 * (an exception in its updater) keeps neither the model nor its buffers alive.
 *
 * <p>Internal: created by the monitor per step, never kept past the step's snapshot.
 */
public final class Step {

    private final StepHeader header;
    private final long token;
    private final boolean report;
    private ModelAdapter adapter;
    private final LayoutScanner scan;
    private Supplier<FlatSegments> segments;
    private final Consumer<GradientAlert> alerts;
    private Reaction reaction = Reaction.NONE;
    private boolean skipped;

    /**
     * @param header   the step's worker, DL4J's counters, score, minibatch and divisor
     * @param token    unique per step of the worker
     * @param report   whether the step's statistics are published, or only used by the reactions
     * @param segments the flat buffers as reactions read and write them, made on first use in this callback
     * @param alerts   delivers an alert (history, log, handlers); may throw a requested stop
     */
    public Step(StepHeader header, long token, boolean report, ModelAdapter adapter, LayoutScanner scan,
                Supplier<FlatSegments> segments, Consumer<GradientAlert> alerts) {
        this.header = Objects.requireNonNull(header, "header");
        this.token = token;
        this.report = report;
        this.adapter = Objects.requireNonNull(adapter, "adapter");
        this.scan = Objects.requireNonNull(scan, "scan");
        this.segments = Objects.requireNonNull(segments, "segments");
        this.alerts = Objects.requireNonNull(alerts, "alerts");
    }

    /** The step's worker, counters, score, minibatch and divisor. */
    public StepHeader header() {
        return header;
    }

    public String workerId() {
        return header.workerId();
    }

    public long token() {
        return token;
    }

    /** DL4J's iteration count during this step (before its increment). */
    public int iteration() {
        return header.iteration();
    }

    public int epoch() {
        return header.epoch();
    }

    public double score() {
        return header.score();
    }

    public int batchSize() {
        return header.batchSize();
    }

    public double divisor() {
        return header.divisor();
    }

    public boolean report() {
        return report;
    }

    public long timestampMillis() {
        return header.timestampMillis();
    }

    /**
     * The model of the current callback.
     *
     * @throws IllegalStateException outside a callback (the step was released)
     */
    public ModelAdapter adapter() {
        ModelAdapter a = adapter;
        if (a == null) {
            throw new IllegalStateException("step " + token + " (iteration " + header.iteration() + ") is released: its model "
                    + "is read only inside a DL4J callback");
        }
        return a;
    }

    /** Binds the step to the model of the callback that continues it (iterationDone). */
    public void bind(ModelAdapter current) {
        this.adapter = Objects.requireNonNull(current, "adapter");
    }

    /** Lets go of the model and of the buffers read at {@code onGradientCalculation}, when a callback returns. */
    public void release() {
        this.adapter = null;
        this.segments = null;
    }

    /** This step's gradient statistics (raw sums), from the pass at {@code onGradientCalculation}. */
    public LayoutScanner scan() {
        return scan;
    }

    /** The flat gradient and parameters for reading and writing; only inside {@code onGradientCalculation}. */
    public FlatSegments segments() {
        Supplier<FlatSegments> s = segments;
        if (s == null) {
            throw new IllegalStateException("step " + token + " (iteration " + header.iteration() + "): the gradient buffers "
                    + "are read and written only inside onGradientCalculation");
        }
        return s.get();
    }

    /** True when the gradient or the score holds NaN/Inf. */
    public boolean poisoned() {
        return scan.anyNonFinite() || !Double.isFinite(header.score());
    }

    /** Global gradient norm before any reaction, batch-averaged; NaN when not finite. */
    public double globalNorm() {
        if (scan.anyNonFinite()) {
            return Double.NaN;
        }
        double sq = 0;
        for (int s = 0; s < scan.segmentCount(); s++) {
            sq += scan.segmentSumSq(s);
        }
        return Math.sqrt(sq) / header.divisor();
    }

    /** Delivers an alert now (history, log, handlers). A handler's requested stop propagates. */
    public void raise(GradientAlert alert) {
        alerts.accept(alert);
    }

    /** What the reactions did to this step, for its snapshot. */
    public Reaction reaction() {
        return reaction;
    }

    public void reaction(Reaction r) {
        this.reaction = Objects.requireNonNull(r, "reaction");
    }

    /** True when this step is not applied: a reaction restores parameters and updater state after it. */
    public boolean skipped() {
        return skipped;
    }

    void markSkipped() {
        this.skipped = true;
    }
}
