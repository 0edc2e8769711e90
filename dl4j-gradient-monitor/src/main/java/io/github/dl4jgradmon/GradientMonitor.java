package io.github.dl4jgradmon;

import io.github.dl4jgradmon.alert.AlertHandler;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.GradientAlertException;
import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.alert.Slf4jAlertHandler;
import io.github.dl4jgradmon.clip.ClipTarget;
import io.github.dl4jgradmon.clip.GradientClipping;
import io.github.dl4jgradmon.detect.DetectorSuite;
import io.github.dl4jgradmon.model.ModelAdapter;
import io.github.dl4jgradmon.model.ModelLayout;
import io.github.dl4jgradmon.model.LayerSlot;
import io.github.dl4jgradmon.model.ParamSlot;
import io.github.dl4jgradmon.stats.FlatBuffer;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayoutScanner;
import io.github.dl4jgradmon.stats.Reaction;
import io.github.dl4jgradmon.stats.SnapshotAssembler;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ObjectStreamException;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Watches the gradients of a DL4J {@code MultiLayerNetwork} or {@code ComputationGraph}, layer by layer, while it
 * trains. The only DL4J {@code TrainingListener} of this library.
 *
 * <pre>{@code
 * GradientMonitor monitor = GradientMonitor.builder()
 *         .frequency(1)          // statistics every N iterations
 *         .historySize(1_000)    // snapshots kept in memory
 *         .build();
 * net.addListeners(monitor);
 * net.fit(data);
 * monitor.latest().ifPresent(s -> System.out.println(s.globalGradientNorm()));
 * }</pre>
 *
 * <p>At {@code onGradientCalculation} DL4J's flat gradient buffer holds the raw gradient (summed over the minibatch,
 * before normalization, regularization and the updater); the monitor reads it and the parameters in one fused pass.
 * At {@code iterationDone} the same buffer holds the update that was applied; one more pass gives update norms and
 * update:parameter ratios. Gradient numbers are reported in DL4J's batch-averaged units.
 *
 * <p>ParallelWrapper: one instance serves every worker thread, each with its own model. Statistics are kept per
 * model and never mixed; {@link #history()} and {@link #latest()} cover every worker, {@link #history(String)} one.
 *
 * <p>Serializable: a deserialized copy keeps its configuration and starts with an empty history (as a copy shipped to
 * a remote executor would).
 */
public final class GradientMonitor extends BaseTrainingListener implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(GradientMonitor.class);

    private final int frequency;
    private final int historySize;
    private final int threads;
    private final int alertHistorySize;
    private final int alertRepeatInterval;
    private final DetectorSuite detectors;
    private final List<AlertHandler> handlers;
    private final List<SnapshotHandler> snapshotHandlers;
    private final boolean logAlerts;
    private final GradientClipping clipping;
    private final SkipBudget skipBudget;
    private final LearningRateBackoff backoff;

    private final transient WorkerRegistry workers = new WorkerRegistry();
    private final transient History<GradientSnapshot> snapshots;
    private final transient History<GradientAlert> alertHistory;
    private final transient AlertHandler logHandler;
    private final transient FaultContainment faults = new FaultContainment();
    private final transient WarnOnce unsupportedModel = new WarnOnce();
    private final transient WarnOnce unsupportedClipping = new WarnOnce();

    private GradientMonitor(Builder b) {
        this.frequency = b.frequency;
        this.historySize = b.historySize;
        this.threads = b.threads;
        this.alertHistorySize = b.alertHistorySize;
        this.alertRepeatInterval = b.alertRepeatInterval;
        this.detectors = b.detectors;
        this.handlers = List.copyOf(b.handlers);
        this.snapshotHandlers = List.copyOf(b.snapshotHandlers);
        this.logAlerts = b.logAlerts;
        this.clipping = b.clipping;
        this.skipBudget = b.skipBudget;
        this.backoff = b.backoff;
        this.snapshots = new History<>(historySize);
        this.alertHistory = new History<>(alertHistorySize);
        this.logHandler = logAlerts ? new Slf4jAlertHandler() : null;
    }

    /** A builder with the defaults: statistics every iteration, 1,000 snapshots kept. */
    public static Builder builder() {
        return new Builder();
    }

    /** The most recent snapshot of any worker. */
    public Optional<GradientSnapshot> latest() {
        return snapshots.last();
    }

    /** The retained snapshots of every worker, oldest first (at most {@code historySize}). */
    public List<GradientSnapshot> history() {
        return snapshots.snapshot();
    }

    /** The retained snapshots of one worker ({@code "0"} is the first model seen), oldest first. */
    public List<GradientSnapshot> history(String workerId) {
        return snapshots.snapshot(s -> s.workerId().equals(workerId));
    }

    /** The retained alerts of every worker, oldest first (at most {@code alertHistorySize}). */
    public List<GradientAlert> alerts() {
        return alertHistory.snapshot();
    }

    /** Alerts raised since the monitor was created, including those no longer retained. */
    public long alertCount() {
        return alertHistory.total();
    }

    /** Ids of the models (workers) currently known, in the order they were first seen. */
    public List<String> workers() {
        return workers.ids();
    }

    /** Snapshots produced since the monitor was created, including those no longer retained. */
    public long snapshotCount() {
        return snapshots.total();
    }

    /** Failures inside the monitor that were contained (logged, training unaffected). Zero in a healthy setup. */
    public long faultCount() {
        return faults.count();
    }

    public int frequency() {
        return frequency;
    }

    public int historySize() {
        return historySize;
    }

    public int threads() {
        return threads;
    }

    public int alertHistorySize() {
        return alertHistorySize;
    }

    public int alertRepeatInterval() {
        return alertRepeatInterval;
    }

    public DetectorSuite detectors() {
        return detectors;
    }

    /** The alert handlers given with {@code onAlert}, in order (the SLF4J log handler is not among them). */
    public List<AlertHandler> alertHandlers() {
        return handlers;
    }

    /** The snapshot handlers given with {@code onSnapshot}, in order. */
    public List<SnapshotHandler> snapshotHandlers() {
        return snapshotHandlers;
    }

    public boolean logAlerts() {
        return logAlerts;
    }

    /** The clipping strategy, if one is configured. */
    public Optional<GradientClipping> clipping() {
        return Optional.ofNullable(clipping);
    }

    /** The skip budget when poisoned steps are skipped, empty when they are not. */
    public Optional<SkipBudget> skipNonFiniteSteps() {
        return Optional.ofNullable(skipBudget);
    }

    /** The learning-rate back-off, if configured. */
    public Optional<LearningRateBackoff> learningRateBackoff() {
        return Optional.ofNullable(backoff);
    }

    @Override
    public void onGradientCalculation(Model model) {
        try {
            Optional<WorkerState> state = workers.stateFor(model);
            if (state.isEmpty()) {
                unsupportedModel.warn(log, "GradientMonitor ignores callbacks from {} (not a MultiLayerNetwork or "
                        + "ComputationGraph, e.g. a layer during layer-wise pretraining); statistics resume when the "
                        + "full network trains", model == null ? "null" : model.getClass().getName());
                return;
            }
            gradientCalculated(state.get());
        } catch (GradientAlertException stop) {
            throw stop;
        } catch (RuntimeException | LinkageError | AssertionError e) {
            faults.contain("onGradientCalculation", e);
        }
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        forwardPass(model, activations, null);
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        forwardPass(model, null, activations);
    }

    /**
     * Measures saturation of sigmoid/tanh layers from their outputs (MultiLayerNetwork: a list, input first, output
     * layer excluded; ComputationGraph: by vertex name). DL4J calls this inside a workspace: the arrays are only read
     * where they lie, nothing is kept.
     */
    private void forwardPass(Model model, List<INDArray> list, Map<String, INDArray> byName) {
        try {
            Optional<WorkerState> state = workers.stateFor(model);
            if (state.isEmpty() || state.get().scanner == null
                    || !state.get().scanner.layout().measuresSaturation()) {
                return; // the layout is made at the first gradient; saturation starts with the second iteration
            }
            WorkerState w = state.get();
            int iteration = w.adapter.iteration();
            if (iteration % frequency != 0) {
                return;
            }
            List<io.github.dl4jgradmon.model.LayerSlot> layers = w.scanner.layout().layers();
            if (w.saturation == null || w.saturation.length != layers.size()) {
                w.saturation = new double[layers.size()];
            }
            try (org.nd4j.linalg.api.memory.MemoryWorkspace ws =
                         org.nd4j.linalg.factory.Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                for (int l = 0; l < layers.size(); l++) {
                    var layer = layers.get(l);
                    w.saturation[l] = Double.NaN;
                    if (!layer.activation().saturates()) {
                        continue;
                    }
                    INDArray out = list != null
                            ? (layer.index() + 1 < list.size() ? list.get(layer.index() + 1) : null)
                            : byName.get(layer.name());
                    if (out != null && out.length() > 0 && (out.length() == 1 || out.elementWiseStride() == 1)) {
                        w.saturation[l] = io.github.dl4jgradmon.stats.Kernels.fractionOutside(
                                FlatBuffer.contiguous(out), layer.activation().low(), layer.activation().high());
                    }
                }
            }
            w.saturationIteration = iteration;
        } catch (RuntimeException | LinkageError | AssertionError e) {
            faults.contain("onForwardPass", e);
        }
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        try {
            Optional<WorkerState> state = workers.stateFor(model);
            if (state.isPresent()) {
                updateApplied(state.get(), iteration);
            }
        } catch (GradientAlertException stop) {
            throw stop;
        } catch (RuntimeException | LinkageError | AssertionError e) {
            faults.contain("iterationDone", e);
        }
    }

    private void gradientCalculated(WorkerState w) {
        ModelAdapter a = w.adapter;
        int iteration = a.iteration();
        if (w.pending && w.pendingIteration != iteration) {
            finish(w, false); // the previous iteration never reached iterationDone
        }
        w.pending = false;
        boolean report = iteration % frequency == 0;
        boolean react = clipping != null || skipBudget != null;
        if (!report && !react) {
            return;
        }
        INDArray gradients = a.gradients();
        INDArray params = a.params();
        if (gradients == null || params == null) {
            return;
        }
        if (w.scanner == null || w.scanner.layout().totalLength() != gradients.length()) {
            w.scanner = new LayoutScanner(checkedLayout(a, gradients, params));
        }
        FlatBuffer g = FlatBuffer.of(gradients);
        FlatBuffer p = FlatBuffer.of(params);
        w.scanner.scanGradients(g, p, threads);
        int batchSize = a.batchSize();
        w.pending = true;
        w.pendingReport = report;
        w.pendingIteration = iteration;
        w.pendingEpoch = a.epoch();
        w.pendingScore = a.score();
        w.pendingBatchSize = batchSize;
        w.pendingDivisor = a.miniBatch() && batchSize > 0 ? batchSize : 1;
        w.pendingTimestamp = System.currentTimeMillis();
        w.pendingReaction = Reaction.NONE;
        if (react) {
            react(w, g, p);
        }
    }

    /** Skips a poisoned step, or clips; runs before DL4J's updater reads the gradient. */
    private void react(WorkerState w, FlatBuffer g, FlatBuffer p) {
        boolean poisoned = w.scanner.anyNonFinite() || !Double.isFinite(w.pendingScore);
        if (poisoned && skipBudget != null) {
            skip(w, g);
            return;
        }
        w.consecutiveSkips = 0;
        if (clipping == null || poisoned) {
            return;
        }
        if (!g.writable()) {
            unsupportedClipping.warn(log, "GradientMonitor cannot clip {} gradients (only FLOAT and DOUBLE "
                    + "models): clipping is off for this model", w.adapter.gradients().dataType());
            return;
        }
        if (!w.clippingChecked) {
            w.clippingChecked = true;
            List<String> both = w.adapter.layersWithGradientNormalization();
            if (!both.isEmpty()) {
                log.warn("Layers {} also set DL4J's GradientNormalization: both apply. The monitor's {} clipping runs "
                        + "first, on the raw gradient; DL4J then divides by the minibatch and applies its own "
                        + "normalization. Remove one of them unless you want both.", both, clipping.name());
            }
        }
        if (w.clipping == null) {
            w.clipping = clipping.newSession();
        }
        ClipTarget target = new ClipTarget(w.scanner, g, p, w.pendingDivisor);
        double before = target.globalNorm();
        double threshold = w.clipping.apply(target);
        w.pendingReaction = new Reaction(clipping.name(), threshold, before, target.globalNorm(),
                target.layerFactors(), false);
    }

    /**
     * Saves parameters and updater state so that iterationDone can put them back: the step DL4J is about to apply
     * is not applied. The gradient is zeroed so the updater's arithmetic stays finite meanwhile.
     */
    private void skip(WorkerState w, FlatBuffer g) {
        long it = w.pendingIteration;
        w.consecutiveSkips++;
        w.skipIterations.addLast(it);
        while (!w.skipIterations.isEmpty() && w.skipIterations.peekFirst() <= it - skipBudget.windowIterations()) {
            w.skipIterations.removeFirst();
        }
        double before = w.scanner.anyNonFinite() ? Double.NaN : Math.sqrt(sumSq(w.scanner)) / w.pendingDivisor;
        w.pendingReaction = new Reaction(clipping == null ? "" : clipping.name(), Double.NaN, before, 0, Map.of(),
                true);
        if (w.consecutiveSkips > skipBudget.maxConsecutive() || w.skipIterations.size() > skipBudget.maxInWindow()) {
            GradientAlert stop = new GradientAlert(AlertType.NON_FINITE, Severity.CRITICAL, w.id, it,
                    GradientAlert.MODEL, Optional.empty(), w.consecutiveSkips, skipBudget.maxConsecutive(),
                    "poisoned steps keep coming: " + w.consecutiveSkips + " skipped in a row, "
                            + w.skipIterations.size() + " in the last " + skipBudget.windowIterations()
                            + " iterations; skip budget " + skipBudget + " exceeded, stopping training",
                    "find the source of the NaN/Inf: check the input data and labels for NaN, lower the learning "
                            + "rate (.updater(new Adam(1e-4))), add .gradientNormalization(GradientNormalization"
                            + ".ClipL2PerLayer), or use .clipping(GradientClipping.globalNorm(1.0))");
            alertHistory.add(stop);
            w.pending = false;
            throw new GradientAlertException(stop);
        }
        w.savedParams = w.adapter.params().dup();
        INDArray state = w.adapter.updaterState();
        w.savedUpdaterState = state == null ? null : state.dup();
        if (g.writable()) {
            g.zero(0, g.length());
        }
        GradientAlert alert = new GradientAlert(AlertType.STEP_SKIPPED, Severity.WARNING, w.id, it,
                GradientAlert.MODEL, Optional.empty(), w.consecutiveSkips, skipBudget.maxConsecutive(),
                "poisoned step skipped (NaN/Inf in the gradient or score " + w.pendingScore
                        + "): parameters and updater state restored; " + w.consecutiveSkips + " in a row",
                "training goes on with the next batch; if this repeats, check the data for NaN and lower the "
                        + "learning rate");
        alertHistory.add(alert);
        deliver(alert);
    }

    private static double sumSq(LayoutScanner scan) {
        double sq = 0;
        for (int s = 0; s < scan.segmentCount(); s++) {
            sq += scan.segmentSumSq(s);
        }
        return sq;
    }

    private void updateApplied(WorkerState w, int iteration) {
        if (!w.pending || w.pendingIteration != iteration) {
            return;
        }
        if (w.savedParams != null) {
            w.adapter.params().assign(w.savedParams);
            INDArray state = w.adapter.updaterState();
            if (state != null && w.savedUpdaterState != null) {
                state.assign(w.savedUpdaterState);
            }
            w.savedParams = null;
            w.savedUpdaterState = null;
            finish(w, false);
            return;
        }
        if (w.pendingReport) {
            w.scanner.scanUpdates(FlatBuffer.of(w.adapter.gradients()), threads);
        }
        finish(w, true);
    }

    /** Ends the pending iteration: publishes it when it is a reported one. */
    private void finish(WorkerState w, boolean updateObserved) {
        w.pending = false;
        w.savedParams = null;
        w.savedUpdaterState = null;
        if (w.pendingReport) {
            publish(w, updateObserved);
        }
    }

    private void publish(WorkerState w, boolean updateObserved) {
        w.pending = false;
        GradientSnapshot snapshot = SnapshotAssembler.assemble(w.scanner, w.id, w.pendingIteration, w.pendingEpoch,
                w.pendingScore, w.pendingBatchSize, w.pendingDivisor, updateObserved, w.pendingTimestamp,
                w.pendingReaction, w.saturationIteration == w.pendingIteration ? w.saturation : null);
        snapshots.add(snapshot);
        for (SnapshotHandler handler : snapshotHandlers) {
            try {
                handler.onSnapshot(snapshot);
            } catch (RuntimeException e) {
                faults.contain("snapshot handler " + handler.getClass().getName(), e);
            }
        }
        if (w.detection == null) {
            w.detection = detectors.newSession(w.id);
        }
        if (w.repeats == null) {
            w.repeats = new AlertRepeats(alertRepeatInterval, frequency);
        }
        List<GradientAlert> raised = w.detection.inspect(snapshot);
        List<GradientAlert> alerts = raised;
        if (!raised.isEmpty()) {
            alerts = new ArrayList<>(raised.size());
            for (GradientAlert alert : raised) {
                if (w.repeats.admit(alert)) {
                    alerts.add(alert);
                }
            }
        }
        for (GradientAlert alert : alerts) {
            alertHistory.add(alert);
        }
        for (GradientAlert alert : alerts) {
            deliver(alert);
        }
        if (backoff != null) {
            backOffIfExploding(w, raised, snapshot.iteration()); // every raised explosion counts, repeats too
        }
    }

    private void backOffIfExploding(WorkerState w, List<GradientAlert> alerts, long iteration) {
        for (GradientAlert a : alerts) {
            if (a.type() == AlertType.EXPLODING && a.severity().isAtLeast(Severity.WARNING)) { // not INFO spikes
                w.explosionIterations.addLast(iteration);
            }
        }
        while (!w.explosionIterations.isEmpty()
                && w.explosionIterations.peekFirst() <= iteration - backoff.windowIterations()) {
            w.explosionIterations.removeFirst();
        }
        if (w.explosionIterations.size() < backoff.afterAlerts()) {
            return;
        }
        w.explosionIterations.clear();
        StringBuilder changes = new StringBuilder();
        double first = Double.NaN;
        double next = Double.NaN;
        for (var layer : w.scanner.layout().layers()) {
            Optional<Double> lr = w.adapter.learningRate(layer);
            if (lr.isEmpty()) {
                continue;
            }
            double reduced = Math.max(backoff.floor(), lr.get() * backoff.factor());
            if (reduced < lr.get()) {
                w.adapter.learningRate(layer, reduced);
                changes.append(changes.length() == 0 ? "" : ", ").append(layer.name()).append(' ')
                        .append(lr.get()).append(" -> ").append(reduced);
                if (Double.isNaN(first)) {
                    first = lr.get();
                    next = reduced;
                }
            }
        }
        if (changes.length() == 0) {
            return;
        }
        GradientAlert alert = new GradientAlert(AlertType.LR_REDUCED, Severity.WARNING, w.id, iteration,
                GradientAlert.MODEL, Optional.empty(), next, first,
                "learning rate reduced after " + backoff.afterAlerts() + " EXPLODING alerts within "
                        + backoff.windowIterations() + " iterations: " + changes,
                "if explosions continue, lower the learning rate in the configuration (.updater(new Adam(lr)))"
                        + " or add .clipping(GradientClipping.globalNorm(1.0))");
        alertHistory.add(alert);
        deliver(alert);
    }

    /** Hands an alert to the log and every handler. A handler's own failure is contained, except a requested stop. */
    private void deliver(GradientAlert alert) {
        GradientAlertException stop = null;
        if (logHandler != null) {
            logHandler.onAlert(alert);
        }
        for (AlertHandler handler : handlers) {
            try {
                handler.onAlert(alert);
            } catch (GradientAlertException e) {
                stop = stop == null ? e : stop;
            } catch (RuntimeException e) {
                faults.contain("alert handler " + handler.getClass().getName(), e);
            }
        }
        if (stop != null) {
            throw stop;
        }
    }

    /**
     * Builds the layout and checks, once per model, that reading the flat buffers directly sees the same numbers as
     * ND4J does at the first and last element of every parameter array.
     */
    private static ModelLayout checkedLayout(ModelAdapter a, INDArray gradients, INDArray params) {
        ModelLayout layout = a.layout();
        FlatBuffer g = FlatBuffer.of(gradients);
        FlatBuffer p = FlatBuffer.of(params);
        for (LayerSlot layer : layout.layers()) {
            for (ParamSlot slot : layer.params()) {
                if (slot.length() == 0) {
                    continue;
                }
                int first = Math.toIntExact(slot.offset());
                int last = Math.toIntExact(slot.offset() + slot.length() - 1);
                for (int i : new int[] {first, last}) {
                    if (!same(g.get(i), gradients.getDouble(i)) || !same(p.get(i), params.getDouble(i))) {
                        throw new IllegalStateException("direct buffer read disagrees with ND4J at element " + i
                                + " (layer " + layer.name() + ", param " + slot.key() + "): unsupported buffer");
                    }
                }
            }
        }
        return layout;
    }

    private static boolean same(double a, double b) {
        return Double.compare(a, b) == 0 || (float) a == (float) b;
    }

    @Serial
    private Object readResolve() throws ObjectStreamException {
        Builder b = builder().frequency(frequency).historySize(historySize).threads(threads)
                .alertHistorySize(alertHistorySize).alertRepeatInterval(alertRepeatInterval).detectors(detectors)
                .logAlerts(logAlerts);
        if (clipping != null) {
            b.clipping(clipping);
        }
        if (skipBudget != null) {
            b.skipNonFiniteSteps(skipBudget);
        }
        if (backoff != null) {
            b.learningRateBackoff(backoff);
        }
        handlers.forEach(b::onAlert);
        snapshotHandlers.forEach(b::onSnapshot);
        return b.build();
    }

    @Override
    public String toString() {
        return "GradientMonitor{frequency=" + frequency + ", historySize=" + historySize + ", threads=" + threads
                + '}';
    }

    /**
     * Configures a {@link GradientMonitor}. Each setter checks its value and names it in the error.
     *
     * <pre>{@code
     * GradientMonitor monitor = GradientMonitor.builder().frequency(10).historySize(500).build();
     * }</pre>
     */
    public static final class Builder {
        private int frequency = 1;
        private int historySize = 1_000;
        private int threads = 1;
        private int alertHistorySize = 10_000;
        private int alertRepeatInterval = 100;
        private DetectorSuite detectors = DetectorSuite.defaults();
        private final List<AlertHandler> handlers = new ArrayList<>();
        private final List<SnapshotHandler> snapshotHandlers = new ArrayList<>();
        private boolean logAlerts = true;
        private GradientClipping clipping;
        private SkipBudget skipBudget;
        private LearningRateBackoff backoff;

        private Builder() {
        }

        /**
         * Clips the raw gradient in place before DL4J's updater applies it, e.g.
         * {@code GradientClipping.globalNorm(1.0)}. Thresholds are batch-averaged. Default: no clipping.
         */
        public Builder clipping(GradientClipping strategy) {
            if (strategy == null) {
                throw new IllegalArgumentException("clipping must not be null (leave it unset for no clipping)");
            }
            this.clipping = strategy;
            return this;
        }

        /**
         * When true, a step whose gradient or score holds NaN/Inf is not applied: parameters and updater state are
         * restored to their values before it, an STEP_SKIPPED alert is raised, and training goes on with the next
         * batch. Uses {@link SkipBudget#DEFAULT}. Default false.
         */
        public Builder skipNonFiniteSteps(boolean skip) {
            this.skipBudget = skip ? SkipBudget.DEFAULT : null;
            return this;
        }

        /** Skips poisoned steps within this budget; beyond it, training stops with a GradientAlertException. */
        public Builder skipNonFiniteSteps(SkipBudget budget) {
            if (budget == null) {
                throw new IllegalArgumentException("skipNonFiniteSteps budget must not be null");
            }
            this.skipBudget = budget;
            return this;
        }

        /** Lowers the learning rate after repeated EXPLODING alerts. Default: off. */
        public Builder learningRateBackoff(LearningRateBackoff backoff) {
            if (backoff == null) {
                throw new IllegalArgumentException("learningRateBackoff must not be null (leave it unset for none)");
            }
            this.backoff = backoff;
            return this;
        }

        /**
         * The detection rules run on every snapshot. Default {@link DetectorSuite#defaults()}; {@link
         * DetectorSuite#none()} turns detection off.
         */
        public Builder detectors(DetectorSuite suite) {
            if (suite == null) {
                throw new IllegalArgumentException("detectors must not be null (use DetectorSuite.none() to disable)");
            }
            this.detectors = suite;
            return this;
        }

        /**
         * Adds a handler that receives every alert, on the training thread, in the iteration it is raised. May be
         * called several times. A {@link io.github.dl4jgradmon.alert.StopTrainingHandler} ends training with a
         * {@link GradientAlertException}; any other exception a handler throws is contained and logged.
         */
        public Builder onAlert(AlertHandler handler) {
            if (handler == null) {
                throw new IllegalArgumentException("onAlert handler must not be null");
            }
            this.handlers.add(handler);
            return this;
        }

        /** Adds a handler that receives every snapshot (storage, metrics, custom checks). May be called several times. */
        public Builder onSnapshot(SnapshotHandler handler) {
            if (handler == null) {
                throw new IllegalArgumentException("onSnapshot handler must not be null");
            }
            this.snapshotHandlers.add(handler);
            return this;
        }

        /**
         * Posts every snapshot and alert to a DL4J {@code StatsStorageRouter} ({@code InMemoryStatsStorage},
         * {@code FileStatsStorage}, {@code J7FileStatsStorage}, {@code RemoteUIStatsStorageRouter}), for the
         * gradient page of the DL4J UI ({@code /gradmon}) and for reports. Needs the {@code dl4j-gradient-monitor-ui}
         * module on the classpath.
         *
         * <pre>{@code
         * StatsStorage storage = new FileStatsStorage(new File("stats.bin"));
         * UIServer.getInstance().attach(storage);      // http://localhost:9000/gradmon
         * GradientMonitor.builder().statsStorage(storage).build();
         * }</pre>
         */
        public Builder statsStorage(org.deeplearning4j.core.storage.StatsStorageRouter router) {
            if (router == null) {
                throw new IllegalArgumentException("statsStorage router must not be null");
            }
            StatsStorageSinkFactory factory = java.util.ServiceLoader.load(StatsStorageSinkFactory.class)
                    .findFirst().orElseThrow(() -> new IllegalStateException("statsStorage needs the "
                            + "dl4j-gradient-monitor-ui module on the classpath (it holds the DL4J UI records and page)"));
            StatsStorageSinkFactory.Sink sink = factory.create(router);
            return onSnapshot(sink).onAlert(sink);
        }

        /** Whether alerts are written to the SLF4J log (WARN, rate-limited per type and layer). Default true. */
        public Builder logAlerts(boolean log) {
            this.logAlerts = log;
            return this;
        }

        /**
         * While a condition persists (the same type, layer and param raised on consecutive snapshots), its alert is
         * passed on at the onset and then once every {@code n} iterations; a condition that clears and returns is
         * alerted anew. 1 passes every alert. Default 100.
         */
        public Builder alertRepeatInterval(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("alertRepeatInterval must be >= 1 (got: " + n + ")");
            }
            this.alertRepeatInterval = n;
            return this;
        }

        /** Alerts kept in memory for {@link GradientMonitor#alerts()}, over all workers. Default 10,000. */
        public Builder alertHistorySize(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("alertHistorySize must be >= 1 (got: " + n + ")");
            }
            this.alertHistorySize = n;
            return this;
        }

        /** Compute statistics every {@code n} iterations (iterations whose count is a multiple of n). Default 1. */
        public Builder frequency(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("frequency must be >= 1 (got: " + n + ")");
            }
            this.frequency = n;
            return this;
        }

        /** Snapshots kept in memory, over all workers; older ones are dropped. Default 1,000. */
        public Builder historySize(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("historySize must be >= 1 (got: " + n + ")");
            }
            this.historySize = n;
            return this;
        }

        /**
         * Threads that share one statistics pass (the training thread plus helpers from a small daemon pool; training
         * is paused meanwhile). Default 1: all work on the training thread. Measured on 2 cores, a helper barely
         * shortened the pass right after a DL4J step and can get in the way of ND4J's own threads; more threads pay
         * off for models of many millions of parameters on machines with idle cores.
         */
        public Builder threads(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("threads must be >= 1 (got: " + n + ")");
            }
            this.threads = n;
            return this;
        }

        public GradientMonitor build() {
            return new GradientMonitor(this);
        }
    }
}
