package io.github.dl4jgradmon.internal.react;

import io.github.dl4jgradmon.clip.ClipTarget;
import io.github.dl4jgradmon.internal.stats.FlatSegments;
import io.github.dl4jgradmon.internal.stats.LayoutScanner;
import io.github.dl4jgradmon.model.LayerSlot;
import io.github.dl4jgradmon.model.ModelLayout;
import io.github.dl4jgradmon.model.ParamSlot;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The monitor's {@link ClipTarget}: one iteration's raw gradient, the strategy's planned operations, and
 * {@link #commit()}, which applies them all once the strategy has returned (a strategy that fails leaves the gradient
 * untouched). Built inside {@code onGradientCalculation} and dropped at its end.
 */
public final class ClipPlan implements ClipTarget {

    private final LayoutScanner scan;
    private final FlatSegments buffers;
    private final double divisor;
    private final int[] layerFirstSegment;
    private final double[] beforeLayerSq;
    /** Raw sums of squares as the plan changes them; the scanner keeps the values from before, for statistics. */
    private final double[] sumSq;
    /** Planned per segment: a factor, then a clamp to [-limit, limit] (raw units, NaN for none), unit factors. */
    private final double[] factor;
    private final double[] limit;
    private final double[][] unitFactors;
    private boolean committed;

    public ClipPlan(LayoutScanner scan, FlatSegments buffers, double divisor) {
        this.scan = scan;
        this.buffers = buffers;
        this.divisor = divisor;
        int n = scan.segmentCount();
        this.sumSq = new double[n];
        for (int s = 0; s < n; s++) {
            sumSq[s] = scan.segmentSumSq(s);
        }
        this.factor = new double[n];
        Arrays.fill(factor, 1.0);
        this.limit = new double[n];
        Arrays.fill(limit, Double.NaN);
        this.unitFactors = new double[n][];
        List<LayerSlot> layers = scan.layout().layers();
        layerFirstSegment = new int[layers.size() + 1];
        int s = 0;
        for (int l = 0; l < layers.size(); l++) {
            layerFirstSegment[l] = s;
            s += layers.get(l).params().size();
        }
        layerFirstSegment[layers.size()] = s;
        beforeLayerSq = new double[layers.size()];
        for (int l = 0; l < layers.size(); l++) {
            beforeLayerSq[l] = layerSumSq(l);
        }
    }

    @Override
    public ModelLayout layout() {
        return scan.layout();
    }

    @Override
    public int layerCount() {
        return beforeLayerSq.length;
    }

    @Override
    public double globalNorm() {
        double sq = 0;
        for (double v : sumSq) {
            sq += v;
        }
        return Math.sqrt(sq) / divisor;
    }

    @Override
    public double layerNorm(int layer) {
        return Math.sqrt(layerSumSq(layer)) / divisor;
    }

    @Override
    public double segmentNorm(int segment) {
        return Math.sqrt(sumSq[segment]) / divisor;
    }

    @Override
    public int firstSegment(int layer) {
        return layerFirstSegment[layer];
    }

    @Override
    public int endSegment(int layer) {
        return layerFirstSegment[layer + 1];
    }

    @Override
    public int segmentCount() {
        return scan.segmentCount();
    }

    @Override
    public ParamSlot slot(int segment) {
        int l = layerOf(segment);
        return scan.layout().layers().get(l).params().get(segment - layerFirstSegment[l]);
    }

    @Override
    public int layerOf(int segment) {
        for (int l = 0; l < beforeLayerSq.length; l++) {
            if (segment < layerFirstSegment[l + 1]) {
                return l;
            }
        }
        throw new IllegalArgumentException("segment out of range: " + segment);
    }

    @Override
    public void scaleAll(double factor) {
        for (int s = 0; s < scan.segmentCount(); s++) {
            scaleSegment(s, factor);
        }
    }

    @Override
    public void scaleLayer(int layer, double factor) {
        for (int s = firstSegment(layer); s < endSegment(layer); s++) {
            scaleSegment(s, factor);
        }
    }

    @Override
    public void scaleSegment(int segment, double f) {
        checkOpen();
        if (!(f > 0) || Double.isInfinite(f)) {
            throw new IllegalArgumentException("scale factor must be > 0 and finite (got: " + f + ")");
        }
        if (f == 1.0) {
            return;
        }
        factor[segment] *= f;
        if (!Double.isNaN(limit[segment])) {
            limit[segment] *= f; // clamp(x, L) * f == clamp(x * f, L * f)
        }
        sumSq[segment] *= f * f;
    }

    @Override
    public void clampSegment(int segment, double max) {
        checkOpen();
        if (unitFactors[segment] != null) {
            throw new IllegalStateException("clamping after unit-wise (AGC) scaling is not supported");
        }
        double raw = max * divisor;
        limit[segment] = Double.isNaN(limit[segment]) ? raw : Math.min(limit[segment], raw);
        sumSq[segment] = buffers.clampedSumSq(scan.segmentFrom(segment), scan.segmentLength(segment),
                factor[segment], limit[segment]);
    }

    @Override
    public void agcSegment(int segment, double lambda, double eps) {
        checkOpen();
        if (!Double.isNaN(limit[segment]) || unitFactors[segment] != null) {
            throw new IllegalStateException("AGC after clamping or a previous AGC on the same segment is not supported");
        }
        int from = scan.segmentFrom(segment);
        int len = scan.segmentLength(segment);
        ParamSlot slot = slot(segment);
        int unit = (int) Math.max(1, slot.unitLength());
        int units = (len + unit - 1) / unit;
        double[] gSq = new double[units];
        double[] wSq = new double[units];
        if (slot.interleavedUnits()) {
            buffers.interleavedUnitSumSq(from, len, units, false, gSq);
            buffers.interleavedUnitSumSq(from, len, units, true, wSq);
        } else {
            buffers.unitSumSq(from, len, unit, false, gSq);
            buffers.unitSumSq(from, len, unit, true, wSq);
        }
        double f0 = factor[segment];
        double[] factors = new double[units];
        double sq = 0;
        for (int u = 0; u < units; u++) {
            double g = Math.sqrt(gSq[u]) * f0 / divisor;
            double max = lambda * Math.max(Math.sqrt(wSq[u]), eps);
            double f = g > max ? max / g : 1.0;
            factors[u] = f;
            double after = g * f * divisor;
            sq += after * after;
        }
        unitFactors[segment] = factors;
        sumSq[segment] = sq;
    }

    /**
     * Applies every planned operation to the gradient buffer. Called by the monitor once the strategy returned;
     * a second call does nothing.
     */
    public void commit() {
        if (committed) {
            return;
        }
        committed = true;
        for (int s = 0; s < scan.segmentCount(); s++) {
            int from = scan.segmentFrom(s);
            int len = scan.segmentLength(s);
            if (unitFactors[s] != null) {
                double[] f = unitFactors[s];
                for (int u = 0; u < f.length; u++) {
                    f[u] *= factor[s];
                }
                ParamSlot slot = slot(s);
                if (slot.interleavedUnits()) {
                    buffers.scaleInterleavedUnits(from, len, f.length, f);
                } else {
                    buffers.scaleUnits(from, len, (int) Math.max(1, slot.unitLength()), f);
                }
            } else if (factor[s] != 1.0) {
                buffers.scale(from, len, factor[s]);
            }
            if (!Double.isNaN(limit[s])) {
                buffers.clamp(from, len, limit[s]);
            }
        }
    }

    /** For each layer whose gradient the plan changes: its norm after / before. */
    public Map<String, Double> layerFactors() {
        Map<String, Double> out = new LinkedHashMap<>();
        List<LayerSlot> layers = scan.layout().layers();
        for (int l = 0; l < layers.size(); l++) {
            double after = layerSumSq(l);
            if (after != beforeLayerSq[l]) {
                out.put(layers.get(l).name(), beforeLayerSq[l] == 0 ? 1.0 : Math.sqrt(after / beforeLayerSq[l]));
            }
        }
        return out;
    }

    private void checkOpen() {
        if (committed) {
            throw new IllegalStateException("this target was already applied to the gradient");
        }
    }

    private double layerSumSq(int layer) {
        double sq = 0;
        for (int s = firstSegment(layer); s < endSegment(layer); s++) {
            sq += sumSq[s];
        }
        return sq;
    }
}
