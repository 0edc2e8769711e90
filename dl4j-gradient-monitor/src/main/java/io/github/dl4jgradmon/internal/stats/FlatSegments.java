package io.github.dl4jgradmon.internal.stats;

/**
 * One iteration's flat gradient buffer (and the parameters beside it) as reactions read and write it: ranges
 * {@code [from, from + len)} of the flat vector, raw (not batch-averaged) values. Built inside
 * {@code onGradientCalculation} by a {@link StatsPass} and dropped at its end.
 *
 * <p>Internal: public only for the clipping and reaction packages.
 */
public interface FlatSegments {

    /** Sum of squares of each unit ({@code unit} consecutive entries) of the gradient or the parameters. */
    void unitSumSq(int from, int len, int unit, boolean params, double[] out);

    /**
     * Sum of squares of each of {@code units} interleaved units (unit {@code u}: entries {@code u, u + units, ...})
     * of the gradient or the parameters; {@code len} is a multiple of {@code units}.
     */
    void interleavedUnitSumSq(int from, int len, int units, boolean params, double[] out);

    /** Multiplies interleaved unit {@code u} of the gradient range by {@code factors[u]}, in place. */
    void scaleInterleavedUnits(int from, int len, int units, double[] factors);

    /** Sum of squares of the gradient range after multiplying by {@code scale} and clamping to {@code [-limit, limit]}. */
    double clampedSumSq(int from, int len, double scale, double limit);

    /** Multiplies the gradient range by {@code factor}, in place. */
    void scale(int from, int len, double factor);

    /** Multiplies unit {@code u} of the gradient range by {@code factors[u]}, in place. */
    void scaleUnits(int from, int len, int unit, double[] factors);

    /** Clamps the gradient range to {@code [-limit, limit]}, in place. */
    void clamp(int from, int len, double limit);

    /** Sets the whole gradient to zero. */
    void zero();
}
