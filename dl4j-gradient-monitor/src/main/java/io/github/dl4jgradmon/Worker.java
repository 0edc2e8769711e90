package io.github.dl4jgradmon;

import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.detect.DetectorSession;
import io.github.dl4jgradmon.detect.VanishingDetector;
import io.github.dl4jgradmon.internal.alert.Faults;
import io.github.dl4jgradmon.internal.model.ModelAdapter;
import io.github.dl4jgradmon.internal.probe.ThroughTime;
import io.github.dl4jgradmon.internal.react.ReactionChain;
import io.github.dl4jgradmon.internal.react.RestoreFailedException;
import io.github.dl4jgradmon.internal.react.Step;
import io.github.dl4jgradmon.internal.stats.FlatSegments;
import io.github.dl4jgradmon.internal.stats.LayoutScanner;
import io.github.dl4jgradmon.internal.stats.SnapshotAssembler;
import io.github.dl4jgradmon.internal.stats.StatsPass;
import io.github.dl4jgradmon.internal.stats.StepHeader;
import io.github.dl4jgradmon.model.LayerSlot;
import io.github.dl4jgradmon.model.ModelLayout;
import io.github.dl4jgradmon.stats.BufferPath;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One model (one ParallelWrapper worker) and the way its steps flow: statistics, reactions, snapshot, detectors,
 * alerts. Only the thread training that model calls it. Holds the model weakly and nothing that reaches it between
 * callbacks (the adapter of each callback, and a pending step's hold on the model and its buffers, end with the
 * callback), so a monitor that outlives its models never keeps one alive.
 *
 * <p>A step is pending from {@code onGradientCalculation} to its {@code iterationDone}; it carries a token unique
 * per worker, and whatever a reaction keeps for it is dropped when the next step begins.
 *
 * <p>A worker can continue on a new model object ({@link GradientMonitor#continueOn}, or a ParallelWrapper replica
 * at the worker's {@link WrapperPlace}): the continuing worker takes over the detector windows, alert repeats,
 * reactions and token count, drops any pending step, and at the new model's first gradient keeps them only if the
 * parameter layout is the same; otherwise it starts afresh.
 */
final class Worker {

    private static final Logger log = LoggerFactory.getLogger(GradientMonitor.class);
    final String id;
    final WeakReference<Model> model;
    /** The ParallelWrapper place this worker trains at ({@link WrapperPlace}), or null outside a wrapper. */
    final String place;
    private final MonitorContext shared;
    private ReactionChain reactions;

    private StatsPass pass;
    private LayoutScanner scanner;
    private DetectorSession detection;
    private AlertRepeats repeats;
    private long tokens;
    private Step pending;
    /** Token and iteration of a step the monitor failed to measure and the fallback handled; else -1. */
    private long unmeasuredToken = -1;
    private int unmeasuredIteration = -1;
    /** Saturated fraction per layer from the forward pass of {@code saturationIteration}; NaN where not measured. */
    private double[] saturation;
    private long saturationIteration = -1;
    /** The layout of the worker this one continues, until this model's first gradient is read; else null. */
    private ModelLayout continued;
    /** Detector faults of sessions this worker dropped (a continued worker whose layout changed). */
    private long droppedDetectorFaults;
    /** Tells a recurrent network's STALLED apart as VANISHING through time; probes only when STALLED is raised. */
    private ThroughTime throughTime = new ThroughTime();

    Worker(String id, Model model, String place, MonitorContext shared) {
        this.id = id;
        this.model = new WeakReference<>(model);
        this.place = place;
        this.shared = shared;
        this.reactions = shared.reactions().get();
    }

    /**
     * A worker for {@code model} that continues {@code previous}, whose model no longer trains. Whatever a reaction
     * kept for a step of the previous model is dropped here, and the token count goes on, so no saved state of a
     * step of that model can reach a step of this one. The buffers are verified anew at this model's first gradient,
     * where the carried state is kept only if the layout equals the previous one.
     */
    Worker(Worker previous, Model model) {
        this.id = previous.id;
        this.model = new WeakReference<>(model);
        this.place = previous.place;
        this.shared = previous.shared;
        previous.reactions.discard();
        previous.pending = null;
        this.reactions = previous.reactions;
        this.detection = previous.detection;
        this.repeats = previous.repeats;
        this.tokens = previous.tokens;
        this.saturation = previous.saturation;
        this.saturationIteration = previous.saturationIteration;
        this.droppedDetectorFaults = previous.droppedDetectorFaults;
        this.throughTime = previous.throughTime;
        this.continued = previous.scanner != null ? previous.scanner.layout() : previous.continued;
    }

    /** The buffer path of this model, once its first gradient was read. */
    Optional<BufferPath> bufferPath() {
        StatsPass p = pass;
        return p == null ? Optional.empty() : Optional.of(p.path());
    }

    long detectorFaults() {
        DetectorSession d = detection;
        return droppedDetectorFaults + (d == null ? 0 : d.faultCount());
    }

    /**
     * Measures saturation of sigmoid/tanh layers from their outputs (MultiLayerNetwork: input first, output layer
     * excluded; ComputationGraph: by vertex name). DL4J calls this inside a workspace: the arrays are only read where
     * they lie, nothing is kept. (Held reaction state is not dropped here: another listener may run a forward pass,
     * e.g. an evaluation, between this step's gradient and its iterationDone.)
     */
    void forwardPass(ModelAdapter adapter, List<INDArray> list, Map<String, INDArray> byName) {
        if (scanner == null) {
            return; // the layout is made at the first gradient; both start with the second iteration
        }
        int iteration = adapter.iteration();
        if (iteration % shared.frequency() != 0) {
            return;
        }
        if (!scanner.layout().measuresSaturation()) {
            return;
        }
        List<LayerSlot> layers = scanner.layout().layers();
        if (saturation == null || saturation.length != layers.size()) {
            saturation = new double[layers.size()];
        }
        try (MemoryWorkspace ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            for (int l = 0; l < layers.size(); l++) {
                LayerSlot layer = layers.get(l);
                saturation[l] = Double.NaN;
                if (!layer.activation().saturates() || !scanner.watchesLayer(l)) {
                    continue;
                }
                INDArray out = list != null
                        ? (layer.index() + 1 < list.size() ? list.get(layer.index() + 1) : null)
                        : byName.get(layer.name());
                if (out != null) {
                    saturation[l] = pass.fractionOutside(out, layer.activation().low(), layer.activation().high());
                }
            }
        }
        saturationIteration = iteration;
    }

    /** The raw gradient is ready: statistics, then the reactions before DL4J's updater reads it. */
    void gradientCalculated(ModelAdapter adapter) {
        reactions.discard();
        Step previous = pending;
        pending = null;
        int iteration = adapter.iteration();
        if (previous != null && previous.iteration() != iteration && previous.report()) {
            previous.bind(adapter);
            try {
                publish(previous, false); // that step never reached iterationDone (e.g. a line-search optimizer)
            } finally {
                previous.release();
            }
        }
        boolean report = iteration % shared.frequency() == 0;
        if (!reactions.protects()) {
            Step step = report ? measure(adapter, iteration, true) : null;
            if (step != null) {
                step.release(); // until iterationDone binds it again: a step DL4J never finishes keeps no model alive
            }
            pending = step;
            return;
        }
        unmeasuredToken = -1;
        Step step = null;
        try {
            step = measure(adapter, iteration, report);
            if (step != null) {
                reactions.beforeUpdate(step);
            }
        } catch (Throwable t) {
            if (Faults.mustPass(t)) {
                throw t;
            }
            shared.faults().contain("onGradientCalculation", t);
            long token = step != null ? step.token() : ++tokens;
            if (step != null) {
                step.release();
            }
            // fail closed: a step that skipping was asked to check is skipped unless the fallback proves it finite
            String outcome = reactions.failClosed(adapter, id, token, iteration, adapter.epoch());
            unmeasuredToken = token;
            unmeasuredIteration = iteration;
            reactions.lapses().lapse(id, iteration, t, outcome, shared.alerts());
            return;
        }
        if (step != null) {
            step.release(); // until iterationDone binds it again: a step DL4J never finishes keeps no model alive
        }
        pending = step;
    }

    /** DL4J applied the step's update: the reactions finish it, then its snapshot is published. */
    void updateApplied(ModelAdapter adapter, int iteration) {
        if (unmeasuredToken >= 0) {
            long token = unmeasuredToken;
            unmeasuredToken = -1;
            if (unmeasuredIteration == iteration) {
                finish(iteration, () -> reactions.finishUnmeasured(id, token, iteration, adapter.epoch(), adapter));
            }
            return;
        }
        Step step = pending;
        if (step == null || step.iteration() != iteration) {
            return;
        }
        pending = null;
        step.bind(adapter);
        try {
            if (!finish(iteration, () -> reactions.afterUpdate(step))) {
                return;
            }
            if (!step.report()) {
                return;
            }
            boolean observed = !step.skipped();
            if (observed) {
                pass.scanUpdates(scanner, adapter.gradients(), shared.threads());
            }
            publish(step, observed);
        } finally {
            step.release();
        }
    }

    /**
     * Runs the reactions' part of a step at {@code iterationDone}; a failure there is a protection lapse whose alert
     * says what the model now holds.
     *
     * @return false when it failed
     */
    private boolean finish(int iteration, Runnable afterUpdate) {
        try {
            afterUpdate.run();
            return true;
        } catch (Throwable t) {
            if (Faults.mustPass(t) || !reactions.protects()) {
                throw t;
            }
            shared.faults().contain("iterationDone", t);
            String outcome = t instanceof RestoreFailedException r ? r.outcome()
                    : "the step was applied, but finishing its reactions failed";
            reactions.lapses().lapse(id, iteration, t, outcome, shared.alerts());
            return false;
        }
    }

    /** Reads the gradient and parameters in one pass; null when the model has no gradient yet. */
    private Step measure(ModelAdapter adapter, int iteration, boolean report) {
        INDArray gradients = adapter.gradients();
        INDArray params = adapter.params();
        if (gradients == null || params == null) {
            return null;
        }
        if (scanner == null || scanner.layout().totalLength() != gradients.length()) {
            ModelLayout layout = adapter.layout();
            if (pass == null) {
                pass = shared.passes().apply(StatsPass.of(BufferPath.select(gradients.dataType())));
            }
            try {
                pass.verify(layout, gradients, params);
            } catch (IllegalStateException unreadable) {
                if (pass.path() != BufferPath.HOST) {
                    throw unreadable;
                }
                log.warn("GradientMonitor reads worker {} through ND4J operations: {}", id, unreadable.getMessage());
                pass = shared.passes().apply(StatsPass.of(BufferPath.ND4J)); // the fast path is not proven here
                pass.verify(layout, gradients, params);
            }
            boolean[] watched = shared.layerFilter().watched(layout, id, adapter.pretrainedLayer().isPresent());
            scanner = watched == null ? new LayoutScanner(layout)
                    : new LayoutScanner(layout, watched, shared.layerFilter().describe());
            if (continued != null && !continued.equals(layout)) {
                startAfresh();
            }
            continued = null;
        }
        // every read of the model's buffers ends inside the callback: a step that fails later (an exception in
        // DL4J's updater, a wrong label shape) may be followed at once by model.close(), which frees them
        pass.scanGradients(scanner, gradients, params, shared.threads());
        int batchSize = adapter.batchSize();
        double divisor = adapter.miniBatch() && batchSize > 0 ? batchSize : 1;
        StatsPass p = pass;
        Supplier<FlatSegments> segments = new Supplier<>() {
            private FlatSegments made;

            @Override
            public FlatSegments get() {
                if (made == null) {
                    made = p.segments(gradients, params);
                }
                return made;
            }
        };
        StepHeader header = new StepHeader(id, iteration, adapter.epoch(), adapter.score(), batchSize, divisor,
                System.currentTimeMillis());
        return new Step(header, ++tokens, report, adapter, scanner, segments, shared.alerts()::deliver);
    }

    /** A continued worker whose new model has another layout: windows, repeats and reactions begin again. */
    private void startAfresh() {
        log.debug("GradientMonitor worker {} continues on a model with another parameter layout: its detectors and "
                + "reactions start afresh", id);
        DetectorSession d = detection;
        droppedDetectorFaults += d == null ? 0 : d.faultCount();
        detection = null;
        repeats = null;
        reactions = shared.reactions().get();
        saturation = null;
        saturationIteration = -1;
        throughTime = new ThroughTime();
    }

    /** Snapshot, snapshot handlers, detectors, alerts; then the reactions that follow alerts. */
    private void publish(Step step, boolean updateObserved) {
        GradientSnapshot snapshot = SnapshotAssembler.assemble(scanner, step.header(), updateObserved,
                step.reaction(), saturationIteration == step.iteration() ? saturation : null);
        Optional<String> pretrained = step.adapter().pretrainedLayer();
        if (pretrained.isPresent()) {
            snapshot = snapshot.asPretrainingOf(pretrained.get());
        }
        shared.snapshots().add(snapshot);
        for (SnapshotHandler handler : shared.snapshotHandlers()) {
            try {
                handler.onSnapshot(snapshot);
            } catch (Throwable t) { // each handler isolated; fatal errors pass in contain()
                shared.faults().contain("snapshot handler " + handler.getClass().getName(), t);
            }
        }
        if (detection == null) {
            detection = shared.detectors().newSession(id);
            repeats = new AlertRepeats(shared.alertRepeatInterval(), shared.frequency());
        }
        List<GradientAlert> raised = detection.inspect(snapshot);
        if (!raised.isEmpty() && shared.detectors().detector(VanishingDetector.class).isPresent()) {
            raised = throughTime.explain(raised, step.adapter().multiLayerNetwork().orElse(null),
                    scanner.layout().layers(), step.iteration(), shared.faults());
        }
        List<GradientAlert> admitted = raised;
        if (!raised.isEmpty()) {
            admitted = new ArrayList<>(raised.size());
            for (GradientAlert alert : raised) {
                if (repeats.admit(alert)) {
                    admitted.add(alert);
                }
            }
        }
        try {
            shared.alerts().deliverAll(admitted);
        } finally {
            reactions.afterDetection(step, raised); // every raised alert counts for back-off, repeats too
        }
    }
}
