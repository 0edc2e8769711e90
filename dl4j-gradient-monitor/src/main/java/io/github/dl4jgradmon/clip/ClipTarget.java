package io.github.dl4jgradmon.clip;

import io.github.dl4jgradmon.model.ModelLayout;
import io.github.dl4jgradmon.model.ParamSlot;

/**
 * One iteration's raw gradient as clipping strategies see it: norms in DL4J's batch-averaged units, and operations
 * (scale, clamp, AGC) on the flat gradient buffer that the updater is about to read. The monitor builds it inside
 * {@code onGradientCalculation} and drops it at its end.
 *
 * <p>All or nothing: a strategy's operations are only planned (factors and limits per segment; the norms it reads
 * reflect them); the monitor applies them all once the strategy has returned. A strategy that fails leaves the
 * gradient untouched.
 *
 * <p>Segments are the trainable parameter arrays in layout order; layer {@code l} owns the contiguous run
 * {@code [firstSegment(l), endSegment(l))}.
 *
 * <pre>{@code
 * // what GradientClipping.globalNorm(1.0) plans
 * double norm = target.globalNorm();
 * if (norm > 1.0) {
 *     target.scaleAll(1.0 / norm);
 * }
 * }</pre>
 */
public interface ClipTarget {

    /** The model's layers and parameter arrays, in layout order. */
    ModelLayout layout();

    /** How many layers have trainable parameters. */
    int layerCount();

    /** Batch-averaged L2 norm of the whole model's gradient, as planned so far. */
    double globalNorm();

    /** Batch-averaged L2 norm of one layer's gradient, as planned so far. */
    double layerNorm(int layer);

    /** Batch-averaged L2 norm of one segment's gradient, as planned so far. */
    double segmentNorm(int segment);

    /** The first segment of a layer. */
    int firstSegment(int layer);

    /** One past the last segment of a layer. */
    int endSegment(int layer);

    /** How many segments (parameter arrays) there are. */
    int segmentCount();

    /** The parameter slot of a segment. */
    ParamSlot slot(int segment);

    /** The layer a segment belongs to. */
    int layerOf(int segment);

    /** Multiplies every segment by {@code factor}. */
    void scaleAll(double factor);

    /** Multiplies one layer's segments by {@code factor}. */
    void scaleLayer(int layer, double factor);

    /** Multiplies one segment by {@code factor}. */
    void scaleSegment(int segment, double factor);

    /** Clamps a segment's entries to {@code [-limit, limit]}, {@code limit} in batch-averaged units. */
    void clampSegment(int segment, double limit);

    /**
     * Unit-wise adaptive clipping of one segment (AGC): for each unit (a contiguous slice along the array's slowest
     * dimension: a dense layer's output column, a convolution's output channel, one bias entry), if
     * {@code ||G_i|| / max(||W_i||, eps) > lambda}, scales {@code G_i} to {@code lambda * max(||W_i||, eps)}.
     * Gradient norms are batch-averaged.
     */
    void agcSegment(int segment, double lambda, double eps);
}
