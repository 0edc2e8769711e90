package io.github.dl4jgradmon;

import io.github.dl4jgradmon.clip.GradientClipping;
import io.github.dl4jgradmon.detect.DetectorSession;
import io.github.dl4jgradmon.stats.Reaction;
import org.nd4j.linalg.api.ndarray.INDArray;
import io.github.dl4jgradmon.model.ModelAdapter;
import io.github.dl4jgradmon.stats.LayoutScanner;
import org.deeplearning4j.nn.api.Model;

import java.lang.ref.WeakReference;

/**
 * What the monitor keeps for one model (one ParallelWrapper worker). Only the thread training that model touches it.
 * Holds the model weakly so a monitor that outlives its models does not keep them alive.
 */
final class WorkerState {

    final String id;
    final WeakReference<Model> model;
    final ModelAdapter adapter;
    LayoutScanner scanner;
    DetectorSession detection;
    AlertRepeats repeats;
    GradientClipping.Session clipping;
    boolean clippingChecked;

    /** What the reaction did at onGradientCalculation, for the snapshot. */
    Reaction pendingReaction = Reaction.NONE;
    /** Whether statistics are reported (published) for the pending iteration, or only used to react. */
    boolean pendingReport;

    /** Copies taken before a poisoned step, restored at iterationDone; null when no skip is pending. */
    INDArray savedParams;
    INDArray savedUpdaterState;
    int consecutiveSkips;
    final java.util.ArrayDeque<Long> skipIterations = new java.util.ArrayDeque<>();
    final java.util.ArrayDeque<Long> explosionIterations = new java.util.ArrayDeque<>();

    /** Saturated fraction per layer from the forward pass of {@code saturationIteration}; NaN where not measured. */
    double[] saturation;
    long saturationIteration = -1;

    /** Gradient statistics computed at onGradientCalculation, waiting for the applied update at iterationDone. */
    boolean pending;
    long pendingIteration;
    int pendingEpoch;
    double pendingScore;
    int pendingBatchSize;
    double pendingDivisor;
    long pendingTimestamp;

    WorkerState(String id, Model model, ModelAdapter adapter) {
        this.id = id;
        this.model = new WeakReference<>(model);
        this.adapter = adapter;
    }
}
