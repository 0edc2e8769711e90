package io.github.dl4jgradmon.internal.stats;

import io.github.dl4jgradmon.model.ModelLayout;
import io.github.dl4jgradmon.stats.BufferPath;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.longer.MatchCondition;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.indexing.conditions.Condition;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Arrays;

/**
 * The portable path: every number comes from ND4J operations on views of the flat buffers (a few reductions per
 * parameter array), every write is an ND4J operation on a view, so the backend keeps host and device copies in step.
 * Correct on any backend and any floating-point type; slower than {@link HostStatsPass} on the CPU.
 *
 * <p>Every sum is accumulated in double precision ({@link DoubleReductions}), whatever the buffers' type, so this path
 * agrees with the host path's figures to about 1e-9 on layers of tens of millions of entries (ND4J's float reductions
 * drift by 1e-3 there), and half-precision sums cannot overflow. A segment holding NaN or Inf is recounted: its
 * non-finite entries are counted and its finite ones summed (as the host path does), copying bounded blocks.
 */
final class Nd4jStatsPass implements StatsPass {

    static final Nd4jStatsPass INSTANCE = new Nd4jStatsPass();

    private Nd4jStatsPass() {
    }

    @Override
    public BufferPath path() {
        return BufferPath.ND4J;
    }

    @Override
    public void verify(ModelLayout layout, INDArray gradients, INDArray params) {
        if (gradients.length() != layout.totalLength() || params.length() != layout.totalLength()) {
            throw new IllegalStateException("flat buffers have " + gradients.length() + " and " + params.length()
                    + " elements, the layout expects " + layout.totalLength());
        }
    }

    @Override
    public void scanGradients(LayoutScanner scan, INDArray gradients, INDArray params, int threads) {
        check(scan, gradients);
        check(scan, params);
        for (int s = 0; s < scan.scannedSegmentCount(); s++) {
            int from = scan.segmentFrom(s);
            int len = scan.segmentLength(s);
            boolean watched = scan.segmentWatched(s);
            if (!watched && s >= scan.segmentCount()) {
                continue; // an unwatched layer's moved array: not read
            }
            scan.paramSumSq[s] = watched ? DoubleReductions.sumSq(range(params, from, len)) : 0;
            if (s >= scan.segmentCount()) {
                continue; // a moved array: its "gradient" is the layer's own step, never reported
            }
            INDArray g = range(gradients, from, len);
            double sq = DoubleReductions.sumSq(g);
            if (!watched && Double.isFinite(sq)) { // an unwatched layer: its sum of squares only
                scan.sumSq[s] = sq;
                scan.sumAbs[s] = 0;
                scan.maxAbs[s] = 0;
                scan.zeros[s] = 0;
                scan.nan[s] = 0;
                scan.inf[s] = 0;
                continue;
            }
            double abs = DoubleReductions.sumAbs(g);
            if (Double.isFinite(sq) && Double.isFinite(abs)) {
                scan.sumSq[s] = sq;
                scan.sumAbs[s] = abs;
                scan.maxAbs[s] = g.amaxNumber().doubleValue();
                scan.zeros[s] = len - count(g, Conditions.absGreaterThan(0.0));
                scan.nan[s] = 0;
                scan.inf[s] = 0;
            } else {
                exact(scan, s, g, len);
            }
        }
    }

    /** NaN/Inf present: count them, and sum the finite entries. */
    private static void exact(LayoutScanner scan, int s, INDArray g, int len) {
        long nan = count(g, Conditions.isNan());
        long inf = count(g, Conditions.isInfinite());
        double[] sums = new double[4];
        DoubleReductions.finiteSums(g, sums);
        scan.sumSq[s] = sums[0];
        scan.sumAbs[s] = sums[1];
        scan.maxAbs[s] = sums[2];
        scan.zeros[s] = len - (long) sums[3] - nan - inf;
        scan.nan[s] = nan;
        scan.inf[s] = inf;
    }

    @Override
    public void scanUpdates(LayoutScanner scan, INDArray updates, int threads) {
        check(scan, updates);
        for (int s = 0; s < scan.scannedSegmentCount(); s++) {
            scan.updateSumSq[s] = !scan.segmentWatched(s) ? 0 : DoubleReductions.sumSq(range(updates,
                    scan.segmentFrom(s), scan.segmentLength(s)));
        }
    }

    @Override
    public double fractionOutside(INDArray a, double low, double high) {
        if (a.length() == 0) {
            return Double.NaN;
        }
        long outside = count(a, Conditions.lessThan(low)) + count(a, Conditions.greaterThan(high));
        return (double) outside / a.length();
    }

    @Override
    public FlatSegments segments(INDArray gradients, INDArray params) {
        return new Nd4jSegments(gradients, params);
    }

    private static void check(LayoutScanner scan, INDArray flat) {
        if (flat.length() != scan.layout().totalLength()) {
            throw new IllegalStateException("flat buffer has " + flat.length() + " elements, the layout expects "
                    + scan.layout().totalLength() + ": the model changed after the monitor first saw it");
        }
    }

    /** A view of {@code [from, from + len)} of a flat {@code [1, N]} (or {@code [N]}) buffer, as a vector. */
    static INDArray range(INDArray flat, long from, long len) {
        if (flat.rank() == 1) {
            return flat.get(NDArrayIndex.interval(from, from + len));
        }
        if (flat.rank() == 2 && flat.rows() == 1) {
            return flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(from, from + len));
        }
        if (flat.rank() == 2 && flat.columns() == 1) {
            return flat.get(NDArrayIndex.interval(from, from + len), NDArrayIndex.point(0));
        }
        throw new IllegalArgumentException("flat buffer must be a vector (got shape "
                + Arrays.toString(flat.shape()) + ")");
    }

    private static long count(INDArray a, Condition c) {
        return Nd4j.getExecutioner().exec(new MatchCondition(a, c)).getLong(0);
    }

    /** Reads and writes through ND4J operations on views. */
    private record Nd4jSegments(INDArray g, INDArray p) implements FlatSegments {

        @Override
        public void unitSumSq(int from, int len, int unit, boolean params, double[] out) {
            DoubleReductions.unitSumSq(range(params ? p : g, from, len), unit, out);
        }

        @Override
        public void interleavedUnitSumSq(int from, int len, int units, boolean params, double[] out) {
            DoubleReductions.interleavedUnitSumSq(range(params ? p : g, from, len), units, out);
        }

        @Override
        public void scaleInterleavedUnits(int from, int len, int units, double[] factors) {
            INDArray v = range(g, from, len);
            double[] perEntry = new double[len];
            for (int i = 0; i < len; i++) {
                perEntry[i] = factors[i % units];
            }
            v.muli(Nd4j.create(perEntry, v.shape(), v.ordering()).castTo(v.dataType())); // in place, any strides
        }

        @Override
        public double clampedSumSq(int from, int len, double scale, double limit) {
            return DoubleReductions.clampedSumSq(range(g, from, len), scale, limit);
        }

        @Override
        public void scale(int from, int len, double factor) {
            range(g, from, len).muli(factor);
        }

        @Override
        public void scaleUnits(int from, int len, int unit, double[] factors) {
            INDArray v = range(g, from, len);
            int u = 0;
            for (int at = 0; at < len; at += unit) {
                double f = factors[u++];
                if (f != 1.0) {
                    v.get(NDArrayIndex.interval(at, Math.min(at + unit, len))).muli(f);
                }
            }
        }

        @Override
        public void clamp(int from, int len, double limit) {
            INDArray v = range(g, from, len);
            Transforms.max(v, -limit, false);
            Transforms.min(v, limit, false);
        }

        @Override
        public void zero() {
            g.assign(0);
        }
    }
}
