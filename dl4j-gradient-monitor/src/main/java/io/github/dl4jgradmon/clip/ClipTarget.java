package io.github.dl4jgradmon.clip;

import io.github.dl4jgradmon.model.LayerSlot;
import io.github.dl4jgradmon.model.ModelLayout;
import io.github.dl4jgradmon.model.ParamSlot;
import io.github.dl4jgradmon.stats.FlatBuffer;
import io.github.dl4jgradmon.stats.LayoutScanner;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One iteration's raw gradient as clipping strategies see it: norms in DL4J's batch-averaged units, and in-place
 * operations on the flat gradient buffer that the updater is about to read. Internal: built by the monitor inside
 * {@code onGradientCalculation} and dropped at its end.
 *
 * <p>Segments are the trainable parameter arrays in layout order; layer {@code l} owns a contiguous run of them.
 */
public final class ClipTarget {

    private final LayoutScanner scan;
    private final FlatBuffer gradients;
    private final FlatBuffer params;
    private final double divisor;
    private final int[] layerFirstSegment;
    private final double[] beforeLayerSq;
    /** Raw sums of squares as clipping changes them; the scanner keeps the values from before, for statistics. */
    private final double[] sumSq;

    public ClipTarget(LayoutScanner scan, FlatBuffer gradients, FlatBuffer params, double divisor) {
        this.scan = scan;
        this.gradients = gradients;
        this.params = params;
        this.divisor = divisor;
        this.sumSq = new double[scan.segmentCount()];
        for (int s = 0; s < sumSq.length; s++) {
            sumSq[s] = scan.segmentSumSq(s);
        }
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

    public ModelLayout layout() {
        return scan.layout();
    }

    public int layerCount() {
        return beforeLayerSq.length;
    }

    /** Batch-averaged L2 norm of the whole model's gradient, as it is now. */
    public double globalNorm() {
        double sq = 0;
        for (double v : sumSq) {
            sq += v;
        }
        return Math.sqrt(sq) / divisor;
    }

    /** Batch-averaged L2 norm of one layer's gradient, as it is now. */
    public double layerNorm(int layer) {
        return Math.sqrt(layerSumSq(layer)) / divisor;
    }

    /** Batch-averaged L2 norm of one segment's gradient, as it is now. */
    public double segmentNorm(int segment) {
        return Math.sqrt(sumSq[segment]) / divisor;
    }

    public int firstSegment(int layer) {
        return layerFirstSegment[layer];
    }

    public int endSegment(int layer) {
        return layerFirstSegment[layer + 1];
    }

    public int segmentCount() {
        return scan.segmentCount();
    }

    /** The parameter slot of a segment. */
    public ParamSlot slot(int segment) {
        int l = layerOf(segment);
        return scan.layout().layers().get(l).params().get(segment - layerFirstSegment[l]);
    }

    public int layerOf(int segment) {
        for (int l = 0; l < beforeLayerSq.length; l++) {
            if (segment < layerFirstSegment[l + 1]) {
                return l;
            }
        }
        throw new IllegalArgumentException("segment out of range: " + segment);
    }

    /** Multiplies every segment by {@code factor}. */
    public void scaleAll(double factor) {
        for (int s = 0; s < scan.segmentCount(); s++) {
            scaleSegment(s, factor);
        }
    }

    public void scaleLayer(int layer, double factor) {
        for (int s = firstSegment(layer); s < endSegment(layer); s++) {
            scaleSegment(s, factor);
        }
    }

    public void scaleSegment(int segment, double factor) {
        if (factor == 1.0) {
            return;
        }
        gradients.scale(scan.segmentFrom(segment), scan.segmentLength(segment), factor);
        sumSq[segment] *= factor * factor;
    }

    /** Clamps a segment's entries to {@code [-limit, limit]}, {@code limit} in batch-averaged units. */
    public void clampSegment(int segment, double limit) {
        double sq = gradients.clamp(scan.segmentFrom(segment), scan.segmentLength(segment), limit * divisor);
        sumSq[segment] = sq;
    }

    /**
     * Unit-wise adaptive clipping of one segment (AGC): for each unit (a contiguous slice along the array's slowest
     * dimension: a dense layer's output column, a convolution's output channel, one bias entry), if
     * {@code ||G_i|| / max(||W_i||, eps) > lambda}, scales {@code G_i} to {@code lambda * max(||W_i||, eps)}.
     * Gradient norms are batch-averaged.
     */
    public void agcSegment(int segment, double lambda, double eps) {
        ParamSlot slot = slot(segment);
        int from = scan.segmentFrom(segment);
        int len = scan.segmentLength(segment);
        int unit = (int) Math.max(1, slot.unitLength());
        double sq = 0;
        for (int u = from; u < from + len; u += unit) {
            int n = Math.min(unit, from + len - u);
            double g = Math.sqrt(gradients.sumOfSquares(u, n)) / divisor;
            double w = Math.max(Math.sqrt(params.sumOfSquares(u, n)), eps);
            double max = lambda * w;
            if (g > max) {
                double f = max / g;
                gradients.scale(u, n, f);
                sq += (g * f * divisor) * (g * f * divisor);
            } else {
                sq += (g * divisor) * (g * divisor);
            }
        }
        sumSq[segment] = sq;
    }

    /** For each layer whose gradient changed since this target was made: its norm after / before. */
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

    private double layerSumSq(int layer) {
        double sq = 0;
        for (int s = firstSegment(layer); s < endSegment(layer); s++) {
            sq += sumSq[s];
        }
        return sq;
    }
}
