package io.github.dl4jgradmon.internal.stats;

import io.github.dl4jgradmon.model.LayerGraph;
import io.github.dl4jgradmon.model.LayerSlot;
import io.github.dl4jgradmon.model.ModelLayout;
import io.github.dl4jgradmon.model.ParamSlot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Raw sums over every trainable parameter array of one model, from one fused pass over the flat gradient and parameter
 * buffers and one pass over the applied update. All arrays are allocated once per model: a scan allocates nothing
 * beyond a small job object when it runs in parallel.
 *
 * <p>With a layer filter, the layers left out are read for one thing only: the sum of squares of their gradient
 * (NaN/Inf counted exactly when it is not finite), so clipping, step skipping and NON_FINITE still see the whole model;
 * their parameters, their update and their moved arrays are not read.
 *
 * <p>Internal: the monitor owns one per model; not thread-safe.
 */
public final class LayoutScanner {

    /** Elements per piece of parallel work: small enough to balance two to four threads, large enough to amortise. */
    static final int PIECE = 32 * 1024;
    /**
     * With the Vector API kernels a pass is fast enough that handing pieces to a helper thread costs more than it
     * saves, measured right after a training step on 2 cores (0.8M parameters: 0.24 ms alone, 0.44 ms shared); only
     * models above this many elements are split.
     */
    static final long VECTOR_PARALLEL_MIN = 4L << 20;

    private final ModelLayout layout;
    /** Gradient-driven segments first ({@code [0, segments)}), then moved ones ({@code [segments, allSegments)}). */
    private final int segments;
    private final int allSegments;
    private final int[] segFrom;
    private final int[] segLen;
    private final int[] pieceSeg;
    private final int[] pieceFrom;
    private final int[] pieceLen;
    /** Pieces of unwatched layers' gradient: sum of squares only. */
    private final boolean[] pieceSumOnly;
    private final boolean[] watchedLayer;
    private final boolean[] segWatched;
    private final boolean filtered;
    private final String filter;
    private final LayerGraph watchedGraph;
    private final double[] pieceOut;
    private final double[] pieceUpd;
    private final double[] exactOut = new double[6];

    final double[] sumSq;
    final double[] sumAbs;
    final double[] maxAbs;
    final long[] zeros;
    final long[] nan;
    final long[] inf;
    final double[] paramSumSq;
    final double[] updateSumSq;

    /** Every layer watched. */
    public LayoutScanner(ModelLayout layout) {
        this(layout, null, "");
    }

    /**
     * @param watched per layer of {@code layout}: whether its statistics are computed; null: every layer
     * @param filter  the filter as messages show it
     */
    public LayoutScanner(ModelLayout layout, boolean[] watched, String filter) {
        this.layout = layout;
        int layers = layout.layers().size();
        if (watched != null && watched.length != layers) {
            throw new IllegalArgumentException("watched must have one entry per layer (" + layers + ", got: "
                    + watched.length + ")");
        }
        this.filtered = watched != null;
        this.filter = filter;
        this.watchedLayer = new boolean[layers];
        for (int l = 0; l < layers; l++) {
            watchedLayer[l] = watched == null || watched[l];
        }
        List<ParamSlot> slots = new ArrayList<>();
        List<Boolean> segWatch = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            for (ParamSlot slot : layout.layers().get(l).params()) {
                slots.add(slot);
                segWatch.add(watchedLayer[l]);
            }
        }
        segments = slots.size();
        for (int l = 0; l < layers; l++) {
            for (ParamSlot slot : layout.layers().get(l).moved()) {
                slots.add(slot);
                segWatch.add(watchedLayer[l]);
            }
        }
        allSegments = slots.size();
        segFrom = new int[allSegments];
        segLen = new int[allSegments];
        segWatched = new boolean[allSegments];
        List<int[]> pieces = new ArrayList<>();
        for (int s = 0; s < allSegments; s++) {
            ParamSlot slot = slots.get(s);
            segFrom[s] = Math.toIntExact(slot.offset());
            segLen[s] = Math.toIntExact(slot.length());
            segWatched[s] = segWatch.get(s);
            if (!segWatched[s] && s >= segments) {
                continue; // an unwatched layer's moved array: not read at all
            }
            for (int from = 0; from < segLen[s]; from += PIECE) {
                pieces.add(new int[] {s, segFrom[s] + from, Math.min(PIECE, segLen[s] - from)});
            }
        }
        int p = pieces.size();
        pieceSeg = new int[p];
        pieceFrom = new int[p];
        pieceLen = new int[p];
        pieceSumOnly = new boolean[p];
        for (int i = 0; i < p; i++) {
            pieceSeg[i] = pieces.get(i)[0];
            pieceFrom[i] = pieces.get(i)[1];
            pieceLen[i] = pieces.get(i)[2];
            pieceSumOnly[i] = !segWatched[pieceSeg[i]];
        }
        watchedGraph = filtered ? layout.graph().restrictedTo(watchedLayer) : layout.graph();
        pieceOut = new double[p * Kernels.GRAD_SLOTS];
        pieceUpd = new double[p];
        sumSq = new double[allSegments];
        sumAbs = new double[allSegments];
        maxAbs = new double[allSegments];
        zeros = new long[allSegments];
        nan = new long[allSegments];
        inf = new long[allSegments];
        paramSumSq = new double[allSegments];
        updateSumSq = new double[allSegments];
    }

    public ModelLayout layout() {
        return layout;
    }

    /** True when a layer filter is active (even if it happens to watch every layer of this model). */
    public boolean filtered() {
        return filtered;
    }

    /** The filter as messages show it; empty when not {@link #filtered()}. */
    public String filter() {
        return filter;
    }

    /** Whether layer {@code l} of the layout is watched. */
    public boolean watchesLayer(int l) {
        return watchedLayer[l];
    }

    /** Whether segment {@code s} belongs to a watched layer. */
    public boolean segmentWatched(int s) {
        return segWatched[s];
    }

    /**
     * How the watched layers connect: input-side and output-side as in the whole model (a watched layer downstream of
     * an unwatched first layer is not input-side), and a watched layer feeds the watched layers it reaches through
     * unwatched or parameter-free ones. The layout's graph when no filter is active.
     */
    public LayerGraph watchedGraph() {
        return watchedGraph;
    }

    /**
     * Number of gradient-driven parameter arrays (segments), in layout order: what gradient statistics, detectors
     * and clipping see.
     */
    public int segmentCount() {
        return segments;
    }

    /**
     * Number of segments scanned: the gradient-driven ones, then the {@linkplain LayerSlot#moved() moved} ones, whose
     * parameter and update sums are kept and whose gradient sums are never reported.
     */
    public int scannedSegmentCount() {
        return allSegments;
    }

    /** First element of a segment in the flat buffer. */
    public int segmentFrom(int s) {
        return segFrom[s];
    }

    public int segmentLength(int s) {
        return segLen[s];
    }

    /** Raw (not batch-averaged) sum of squared gradient entries of a segment from the last gradient scan. */
    public double segmentSumSq(int s) {
        return sumSq[s];
    }

    /** True when the last gradient scan found a NaN or Inf anywhere. */
    public boolean anyNonFinite() {
        for (int s = 0; s < segments; s++) {
            if (nan[s] > 0 || inf[s] > 0) {
                return true;
            }
        }
        return false;
    }

    /** One fused pass over the raw gradient and the parameters. */
    public void scanGradients(FlatBuffer gradients, FlatBuffer params, int threads) {
        checkLength(gradients);
        checkLength(params);
        Parallel.run(pieceSeg.length, effective(threads, gradients), i -> {
            if (pieceSumOnly[i]) { // an unwatched layer: enough to see NaN/Inf and the global norm
                int o = i * Kernels.GRAD_SLOTS;
                Arrays.fill(pieceOut, o, o + Kernels.GRAD_SLOTS, 0);
                pieceOut[o] = Kernels.sumOfSquares(gradients, pieceFrom[i], pieceLen[i], Kernels.Scratch.get());
            } else {
                Kernels.gradient(gradients, params, pieceFrom[i], pieceLen[i], Kernels.Scratch.get(), pieceOut,
                        i * Kernels.GRAD_SLOTS);
            }
        });
        Arrays.fill(sumSq, 0);
        Arrays.fill(sumAbs, 0);
        Arrays.fill(maxAbs, 0);
        Arrays.fill(zeros, 0);
        Arrays.fill(nan, 0);
        Arrays.fill(inf, 0);
        Arrays.fill(paramSumSq, 0);
        for (int i = 0; i < pieceSeg.length; i++) {
            int s = pieceSeg[i];
            int o = i * Kernels.GRAD_SLOTS;
            sumSq[s] += pieceOut[o];
            sumAbs[s] += pieceOut[o + 1];
            maxAbs[s] = Math.max(maxAbs[s], pieceOut[o + 2]);
            zeros[s] += (long) pieceOut[o + 3];
            paramSumSq[s] += pieceOut[o + 4];
        }
        for (int s = 0; s < segments; s++) { // moved arrays' gradient sums are never reported
            if (!Double.isFinite(sumSq[s]) || !Double.isFinite(sumAbs[s])) {
                // Rare path: a NaN/Inf entry, or float overflow of huge but finite entries. Count exactly.
                Kernels.exact(gradients, segFrom[s], segLen[s], exactOut, 0);
                sumSq[s] = exactOut[0];
                sumAbs[s] = exactOut[1];
                maxAbs[s] = exactOut[2];
                zeros[s] = (long) exactOut[3];
                nan[s] = (long) exactOut[4];
                inf[s] = (long) exactOut[5];
            }
        }
        gradients.keepAlive();
        params.keepAlive();
    }

    /** One pass over the applied update (the gradient view at {@code iterationDone}). */
    public void scanUpdates(FlatBuffer updates, int threads) {
        sumsOfSquares(updates, threads, pieceUpd, updateSumSq);
    }

    /**
     * Sum of squares per watched segment of {@code buffer} into {@code out}, via per-piece sums in {@code pieces};
     * unwatched segments get 0.
     */
    private void sumsOfSquares(FlatBuffer buffer, int threads, double[] pieces, double[] out) {
        checkLength(buffer);
        Parallel.run(pieceSeg.length, effective(threads, buffer), i -> pieces[i] = pieceSumOnly[i] ? 0
                : Kernels.sumOfSquares(buffer, pieceFrom[i], pieceLen[i], Kernels.Scratch.get()));
        Arrays.fill(out, 0);
        for (int i = 0; i < pieceSeg.length; i++) {
            out[pieceSeg[i]] += pieces[i];
        }
        buffer.keepAlive();
    }

    private int effective(int threads, FlatBuffer buffer) {
        boolean vector = VectorSupport.AVAILABLE && buffer.isFloat();
        return vector && layout.totalLength() < VECTOR_PARALLEL_MIN ? 1 : threads;
    }

    private void checkLength(FlatBuffer buffer) {
        if (buffer.length() != layout.totalLength()) {
            throw new IllegalStateException("flat buffer has " + buffer.length() + " elements, the layout expects "
                    + layout.totalLength() + ": the model changed after the monitor first saw it");
        }
    }
}
