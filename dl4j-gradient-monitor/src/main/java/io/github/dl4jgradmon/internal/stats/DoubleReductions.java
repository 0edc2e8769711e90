package io.github.dl4jgradmon.internal.stats;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.BaseReduceFloatOp;
import org.nd4j.linalg.api.ops.impl.reduce.floating.Norm1;
import org.nd4j.linalg.api.ops.impl.reduce.floating.SquaredNorm;
import org.nd4j.linalg.api.ops.impl.reduce.longer.MatchCondition;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Sums over views of a flat buffer, accumulated in double precision with ND4J operations only (no host reads, so
 * correct on every backend).
 *
 * <p>ND4J's own {@code norm2Number()} and {@code norm1Number()} on a FLOAT array accumulate in float and drift by
 * 1e-3 and more on a few million entries. A whole-array reduction written into a DOUBLE result accumulates in double,
 * whatever the input type (FLOAT, HALF, BFLOAT16): no copy, about the cost of the float reduction. Reductions along a
 * dimension do not: they accumulate in the input type, so per-unit sums cast bounded blocks to DOUBLE first. So does
 * every sum that must skip or change entries first (finite entries only, clamped entries): at most {@link #BLOCK}
 * entries, 8 MB, are copied at a time, whatever the size of the layer.
 *
 * <p>Internal to the ND4J path.
 */
final class DoubleReductions {

    /** Entries cast to DOUBLE at a time where a copy is needed: 8 MB. */
    static final int BLOCK = 1 << 20;

    private DoubleReductions() {
    }

    /** Sum of squares of every entry, accumulated in double; NaN/Inf when an entry is. */
    static double sumSq(INDArray v) {
        return whole(new SquaredNorm(v, Nd4j.scalar(DataType.DOUBLE, 0.0)));
    }

    /** Sum of absolute values of every entry, accumulated in double; NaN/Inf when an entry is. */
    static double sumAbs(INDArray v) {
        return whole(new Norm1(v, Nd4j.scalar(DataType.DOUBLE, 0.0)));
    }

    private static double whole(BaseReduceFloatOp op) {
        return Nd4j.getExecutioner().exec(op).getDouble(0);
    }

    /**
     * Sum of squares, sum of absolute values, largest absolute value and number of non-zero entries over the finite
     * entries of {@code v}, into {@code out[0..3]}; non-finite entries count as zero.
     */
    static void finiteSums(INDArray v, double[] out) {
        double sq = 0;
        double abs = 0;
        double max = 0;
        long nonZero = 0;
        long len = v.length();
        for (long at = 0; at < len; at += BLOCK) {
            INDArray d = block(v, at, Math.min(BLOCK, len - at));
            // replaceWhere with notFinite() is a no-op on CPU M2.1: NaN and Inf separately
            BooleanIndexing.replaceWhere(d, 0.0, Conditions.isNan());
            BooleanIndexing.replaceWhere(d, 0.0, Conditions.isInfinite());
            sq += sumSq(d);
            abs += sumAbs(d);
            max = Math.max(max, d.amaxNumber().doubleValue());
            nonZero += Nd4j.getExecutioner().exec(new MatchCondition(d, Conditions.absGreaterThan(0.0))).getLong(0);
        }
        out[0] = sq;
        out[1] = abs;
        out[2] = max;
        out[3] = nonZero;
    }

    /** Sum of squares of {@code v} after multiplying by {@code scale} and clamping to {@code [-limit, limit]}. */
    static double clampedSumSq(INDArray v, double scale, double limit) {
        double sq = 0;
        long len = v.length();
        for (long at = 0; at < len; at += BLOCK) {
            INDArray d = block(v, at, Math.min(BLOCK, len - at));
            d.muli(scale);
            Transforms.max(d, -limit, false);
            Transforms.min(d, limit, false);
            sq += sumSq(d);
        }
        return sq;
    }

    /**
     * Sum of squares of each of {@code units} interleaved units of {@code v} (unit {@code u}: entries
     * {@code u, u + units, ...}), accumulated in double; the length of {@code v} is a multiple of {@code units}.
     */
    static void interleavedUnitSumSq(INDArray v, int units, double[] out) {
        long len = v.length();
        INDArray d = v.castTo(DataType.DOUBLE).dup('c').reshape('c', len / units, units);
        double[] sums = d.muli(d).sum(0).toDoubleVector();
        System.arraycopy(sums, 0, out, 0, units);
    }

    /** Sum of squares of each unit ({@code unit} consecutive entries, the last one possibly shorter) of {@code v}. */
    static void unitSumSq(INDArray v, int unit, double[] out) {
        long len = v.length();
        long whole = len / unit;
        int perBlock = Math.max(1, BLOCK / unit);
        int u = 0;
        if (unit > BLOCK) {
            for (; u < whole; u++) {
                out[u] = sumSq(v.get(NDArrayIndex.interval((long) u * unit, (long) (u + 1) * unit)));
            }
        } else if (unit == 1) {
            for (; u < whole; u += BLOCK) { // along a dimension of length 1 ND4J returns the entries unsquared
                int n = (int) Math.min(BLOCK, whole - u);
                INDArray d = block(v, u, n);
                double[] squares = d.muli(d).toDoubleVector();
                System.arraycopy(squares, 0, out, u, n);
            }
        } else {
            while (u < whole) {
                int n = (int) Math.min(perBlock, whole - u);
                INDArray d = block(v, (long) u * unit, (long) n * unit).reshape('c', n, unit);
                INDArray norms = Nd4j.getExecutioner().exec(new SquaredNorm(d, Nd4j.create(DataType.DOUBLE, n), 1));
                for (int i = 0; i < n; i++) {
                    out[u + i] = norms.getDouble(i);
                }
                u += n;
            }
        }
        if (whole * unit < len) {
            out[u] = sumSq(v.get(NDArrayIndex.interval(whole * unit, len)));
        }
    }

    /** A DOUBLE copy of {@code [at, at + len)} of the vector {@code v}. */
    private static INDArray block(INDArray v, long at, long len) {
        INDArray view = v.get(NDArrayIndex.interval(at, at + len));
        return view.dataType() == DataType.DOUBLE ? view.dup() : view.castTo(DataType.DOUBLE);
    }
}
