package io.github.dl4jgradmon.internal.stats;

import io.github.dl4jgradmon.model.LayerSlot;
import io.github.dl4jgradmon.model.ModelLayout;
import io.github.dl4jgradmon.model.ParamSlot;
import io.github.dl4jgradmon.stats.BufferPath;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fast path: reads (and, for reactions, writes) the model's native host buffer directly through
 * {@link FlatBuffer}, with the fused {@link Kernels}. Only for the CPU backend and FLOAT/DOUBLE models
 * ({@link BufferPath#select}).
 */
final class HostStatsPass implements StatsPass {

    static final HostStatsPass INSTANCE = new HostStatsPass();

    private HostStatsPass() {
    }

    @Override
    public BufferPath path() {
        return BufferPath.HOST;
    }

    /** Direct reads must see what ND4J sees at the first and last element of every parameter array. */
    @Override
    public void verify(ModelLayout layout, INDArray gradients, INDArray params) {
        FlatBuffer g = FlatBuffer.of(gradients);
        FlatBuffer p = FlatBuffer.of(params);
        for (LayerSlot layer : layout.layers()) {
            for (ParamSlot slot : allOf(layer)) {
                if (slot.length() == 0) {
                    continue;
                }
                int first = Math.toIntExact(slot.offset());
                int last = Math.toIntExact(slot.offset() + slot.length() - 1);
                for (int i : new int[] {first, last}) {
                    if (!same(g.get(i), gradients.getDouble(i)) || !same(p.get(i), params.getDouble(i))) {
                        throw new IllegalStateException("direct buffer read disagrees with ND4J at element " + i
                                + " (layer " + layer.name() + ", param " + slot.key() + "): unsupported buffer; run "
                                + "with -D" + BufferPath.PROPERTY + "=true to use ND4J operations instead");
                    }
                }
            }
        }
        g.keepAlive();
        p.keepAlive();
    }

    private static List<ParamSlot> allOf(LayerSlot layer) {
        List<ParamSlot> all = new ArrayList<>(layer.params());
        all.addAll(layer.moved());
        return all;
    }

    private static boolean same(double a, double b) {
        return Double.compare(a, b) == 0 || (float) a == (float) b;
    }

    @Override
    public void scanGradients(LayoutScanner scan, INDArray gradients, INDArray params, int threads) {
        scan.scanGradients(FlatBuffer.of(gradients), FlatBuffer.of(params), threads);
    }

    @Override
    public void scanUpdates(LayoutScanner scan, INDArray updates, int threads) {
        scan.scanUpdates(FlatBuffer.of(updates), threads);
    }

    @Override
    public double fractionOutside(INDArray a, double low, double high) {
        if (a.length() == 0 || (a.length() > 1 && a.elementWiseStride() != 1)) {
            return Double.NaN;
        }
        return Kernels.fractionOutside(FlatBuffer.contiguous(a), low, high);
    }

    @Override
    public FlatSegments segments(INDArray gradients, INDArray params) {
        return new HostSegments(FlatBuffer.of(gradients), FlatBuffer.of(params));
    }

    /** Reads and writes through the direct buffers; FLOAT and DOUBLE only (BufferPath guarantees it). */
    private record HostSegments(FlatBuffer g, FlatBuffer p) implements FlatSegments {

        @Override
        public void unitSumSq(int from, int len, int unit, boolean params, double[] out) {
            FlatBuffer b = params ? p : g;
            int u = 0;
            for (int at = from; at < from + len; at += unit) {
                out[u++] = b.sumOfSquares(at, Math.min(unit, from + len - at));
            }
        }

        @Override
        public void interleavedUnitSumSq(int from, int len, int units, boolean params, double[] out) {
            FlatBuffer b = params ? p : g;
            Arrays.fill(out, 0, units, 0.0);
            for (int i = 0; i < len; i++) {
                double x = b.get(from + i);
                out[i % units] += x * x;
            }
            b.keepAlive();
        }

        @Override
        public void scaleInterleavedUnits(int from, int len, int units, double[] factors) {
            for (int i = 0; i < len; i++) {
                double f = factors[i % units];
                if (f != 1.0) {
                    g.scale(from + i, 1, f);
                }
            }
        }

        @Override
        public double clampedSumSq(int from, int len, double scale, double limit) {
            double sq = 0;
            for (int i = from; i < from + len; i++) {
                double x = g.get(i) * scale;
                double c = x > limit ? limit : (x < -limit ? -limit : x);
                sq += c * c;
            }
            g.keepAlive();
            return sq;
        }

        @Override
        public void scale(int from, int len, double factor) {
            g.scale(from, len, factor);
        }

        @Override
        public void scaleUnits(int from, int len, int unit, double[] factors) {
            int u = 0;
            for (int at = from; at < from + len; at += unit) {
                double f = factors[u++];
                if (f != 1.0) {
                    g.scale(at, Math.min(unit, from + len - at), f);
                }
            }
        }

        @Override
        public void clamp(int from, int len, double limit) {
            g.clamp(from, len, limit);
        }

        @Override
        public void zero() {
            g.zero(0, g.length());
        }
    }
}
