package io.github.dl4jgradmon;

import io.github.dl4jgradmon.alert.AlertHandler;
import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.GradientAlertException;
import io.github.dl4jgradmon.alert.Slf4jAlertHandler;
import io.github.dl4jgradmon.clip.GradientClipping;
import io.github.dl4jgradmon.detect.DetectorSuite;
import io.github.dl4jgradmon.internal.alert.AlertDelivery;
import io.github.dl4jgradmon.internal.alert.Faults;
import io.github.dl4jgradmon.internal.model.ModelAdapter;
import io.github.dl4jgradmon.internal.react.GradientClippingRuntime;
import io.github.dl4jgradmon.internal.react.LearningRateBackoffRuntime;
import io.github.dl4jgradmon.internal.react.LapseBudgetRuntime;
import io.github.dl4jgradmon.internal.react.ReactionChain;
import io.github.dl4jgradmon.internal.react.Step;
import io.github.dl4jgradmon.internal.react.ReactionRuntime;
import io.github.dl4jgradmon.internal.react.StepSkippingRuntime;
import io.github.dl4jgradmon.internal.stats.StatsPass;
import io.github.dl4jgradmon.internal.util.Checks;
import io.github.dl4jgradmon.stats.BufferPath;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import org.deeplearning4j.core.storage.StatsStorageRouter;
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
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.UnaryOperator;

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
 * <p>This class is the wiring: each DL4J callback, in the order DL4J calls them, hands the step to the model's
 * {@link Worker}, where it flows one way: statistics ({@code stats}) -> reactions ({@code react}) -> snapshot ->
 * detectors ({@code detect}) -> alerts ({@code alert}) -> sinks (history, handlers, the UI).
 *
 * <p>At {@code onGradientCalculation} DL4J's flat gradient buffer holds the raw gradient (summed over the minibatch,
 * before normalization, regularization and the updater); the monitor reads it and the parameters in one fused pass.
 * At {@code iterationDone} the same buffer holds the update that was applied; one more pass gives update norms and
 * update:parameter ratios. Gradient numbers are reported in DL4J's batch-averaged units.
 *
 * <p>Failures: a fault inside the monitor or a handler is contained (logged, counted in {@link #faultCount()}) and
 * training goes on; only a requested stop ({@link GradientAlertException}) and the JVM's fatal errors reach
 * {@code fit()} (see {@link Faults#mustPass}). When clipping or step skipping is configured and cannot run for a step,
 * that lapse raises a CRITICAL {@code PROTECTION_LAPSED} alert every time, saying what became of the step, and
 * training stops beyond the lapse budget ({@link Builder#lapseBudget}). Step skipping fails closed: a step it could not check as configured
 * is checked by a fallback (the score, the gradient's NaN/Inf count) and skipped unless proven finite. The alert on
 * which training stops is always logged at ERROR, whatever the rate limit.
 *
 * <p>ParallelWrapper: one instance serves every worker thread, each with its own model. Statistics are kept per
 * model and never mixed; {@link #history()} and {@link #latest()} cover every worker, {@link #history(String)} one.
 * A worker is its place in the wrapper, not the model object: DL4J builds fresh replicas on every
 * {@code wrapper.fit(...)}, and in the usual once-per-epoch loop each replica continues its place's worker (id,
 * detector windows, reactions), so 2 workers stay workers {@code "0"} and {@code "1"} over any number of epochs.
 *
 * <p>Layer-wise pretraining ({@code net.pretrain(...)}): DL4J calls the listeners with the layer as the model; each
 * pretrained layer is a worker of its own, whose snapshots name the layer ({@link GradientSnapshot#pretrainedLayer()})
 * and whose detectors keep their own state, apart from the network's.
 *
 * <p>Models are held weakly and only inside a callback: a monitor reused across models (a hyper-parameter search)
 * keeps none of them alive. Each new model gets the next id; ids are never reused.
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
    private final StepBudget skipBudget;
    private final LearningRateBackoff backoff;
    private final StepBudget lapseBudget;
    private final LayerFilter layerFilter;
    private final transient AlertDelivery delivery;

    private final transient History<GradientSnapshot> snapshots;
    private final transient History<GradientAlert> alertHistory;
    private final transient Faults faults = new Faults();
    private final transient WorkerRegistry workers;
    private final transient WarnOnce unsupportedModel = new WarnOnce();

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
        this.lapseBudget = b.lapseBudget;
        this.layerFilter = new LayerFilter(b.layers, b.excludeLayers);
        this.snapshots = new History<>(historySize);
        this.alertHistory = new History<>(alertHistorySize);
        // a lapse of protection is logged even when alerts are not: the user asked for that protection
        // and so is the alert on which training stops, at ERROR
        Slf4jAlertHandler slf4j = new Slf4jAlertHandler();
        AlertHandler logHandler = logAlerts ? slf4j : lapsesOnly(slf4j);
        this.delivery = new AlertDelivery(alertHistory::add, logHandler, slf4j::onStop, handlers, faults);
        this.workers = new WorkerRegistry(new MonitorContext(frequency, threads,
                alertRepeatInterval, detectors, snapshots, snapshotHandlers, delivery, faults, this::newReactions,
                b.passes, new FilterNotices(layerFilter, detectors)));
    }

    private static AlertHandler lapsesOnly(AlertHandler log) {
        return a -> {
            if (a.type() == AlertType.PROTECTION_LAPSED) {
                log.onAlert(a);
            }
        };
    }

    /** Each worker's reactions, in the order they run: skip a poisoned step, else clip; back off after alerts. */
    private ReactionChain newReactions() {
        List<ReactionRuntime> list = new ArrayList<>();
        List<String> protection = new ArrayList<>();
        if (skipBudget != null) {
            list.add(new StepSkippingRuntime(skipBudget, clipping == null ? "" : clipping.name(), delivery));
            protection.add("step skipping");
        }
        if (clipping != null) {
            list.add(new GradientClippingRuntime(clipping));
            protection.add("clipping (" + clipping.name() + ")");
        }
        if (backoff != null) {
            list.add(new LearningRateBackoffRuntime(backoff));
        }
        return new ReactionChain(list, !protection.isEmpty(),
                new LapseBudgetRuntime(lapseBudget, String.join(" and ", protection)));
    }

    // ---- DL4J callbacks, in the order DL4J calls them within one iteration ----

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        Bound b = bind(model, false);
        if (b != null) {
            try {
                b.worker().forwardPass(b.adapter(), activations, null);
            } catch (Throwable t) {
                faults.contain("onForwardPass", t);
            }
        }
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        Bound b = bind(model, false);
        if (b != null) {
            try {
                b.worker().forwardPass(b.adapter(), null, activations);
            } catch (Throwable t) {
                faults.contain("onForwardPass", t);
            }
        }
    }

    @Override
    public void onGradientCalculation(Model model) {
        Bound b = bind(model, true);
        if (b != null) {
            try {
                b.worker().gradientCalculated(b.adapter());
            } catch (Throwable t) {
                faults.contain("onGradientCalculation", t);
            }
        }
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        Bound b = bind(model, false);
        if (b != null) {
            try {
                b.worker().updateApplied(b.adapter(), iteration);
            } catch (Throwable t) {
                faults.contain("iterationDone", t);
            }
        }
    }

    /**
     * The model's worker and this callback's adapter (which holds the model only while the callback runs); null, and
     * a warning once, for a model the monitor cannot read.
     */
    private Bound bind(Model model, boolean warn) {
        Optional<ModelAdapter> adapter = ModelAdapter.of(model);
        if (adapter.isEmpty()) {
            if (warn) {
                unsupportedModel.warn(log, "GradientMonitor ignores callbacks from {} (not a MultiLayerNetwork, "
                        + "ComputationGraph or pretrainable layer); statistics resume when the full network trains",
                        model == null ? "null" : model.getClass().getName());
            }
            return null;
        }
        try {
            return new Bound(workers.workerFor(model), adapter.get());
        } catch (Throwable t) {
            faults.contain("worker registration", t);
            return null;
        }
    }

    private record Bound(Worker worker, ModelAdapter adapter) {
    }

    /**
     * Continues this monitor's state on {@code model}, a new model object of the same architecture that takes over
     * the training of the one it watched (e.g. a Spark task's fresh copy of the network): detector windows and
     * baselines, alert repeats, clipping histories and the skip and lapse budgets carry on, as if the previous model
     * had kept training. A step still pending on the previous model is dropped, never applied to this one. The layout
     * is compared at {@code model}'s first gradient: if its parameters are laid out differently, the worker starts
     * afresh (same worker id). Call it between fits, when the previous model no longer trains; iteration numbers are
     * the new model's own ({@code getIterationCount()} of its configuration).
     *
     * <pre>{@code
     * monitor.continueOn(restoredNet);   // restoredNet: a copy of net (same configuration), e.g. from a checkpoint
     * restoredNet.addListeners(monitor);
     * restoredNet.fit(data);
     * }</pre>
     *
     * @throws IllegalArgumentException when {@code model} is null or not a MultiLayerNetwork or ComputationGraph
     * @throws IllegalStateException    when the monitor watched more than one model (ParallelWrapper workers)
     */
    public void continueOn(Model model) {
        Checks.notNull(model, "continueOn model must not be null");
        workers.continueOn(model);
    }

    // ---- what users read ----

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

    /**
     * Ids of the workers currently known, in the order they were first seen: one per model still alive, and one per
     * ParallelWrapper place (kept for the wrapper's next replicas). Workers of collected models are dropped when a
     * new model arrives.
     */
    public List<String> workers() {
        return workers.ids();
    }

    /** Snapshots produced since the monitor was created, including those no longer retained. */
    public long snapshotCount() {
        return snapshots.total();
    }

    /**
     * Failures inside the monitor, its handlers and its detectors that were contained (logged, training unaffected).
     * Zero in a healthy setup.
     */
    public long faultCount() {
        return faults.count() + workers.detectorFaults();
    }

    /**
     * How the monitor reads and writes this worker's buffers ({@link BufferPath#HOST}: the CPU fast path;
     * {@link BufferPath#ND4J}: ND4J operations, any backend); empty before its first gradient.
     */
    public Optional<BufferPath> bufferPath(String workerId) {
        return workers.byId(workerId).flatMap(Worker::bufferPath);
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
    public Optional<StepBudget> skipNonFiniteSteps() {
        return Optional.ofNullable(skipBudget);
    }

    /** The learning-rate back-off, if configured. */
    public Optional<LearningRateBackoff> learningRateBackoff() {
        return Optional.ofNullable(backoff);
    }

    /**
     * Which layers get statistics ({@link Builder#layers}, {@link Builder#excludeLayers});
     * {@link LayerFilter#ALL} when every layer does.
     */
    public LayerFilter layerFilter() {
        return layerFilter;
    }

    /** Unprotected steps allowed when clipping or skipping cannot run. */
    public StepBudget lapseBudget() {
        return lapseBudget;
    }

    @Serial
    private Object readResolve() throws ObjectStreamException {
        Builder b = builder().frequency(frequency).historySize(historySize).threads(threads)
                .alertHistorySize(alertHistorySize).alertRepeatInterval(alertRepeatInterval).detectors(detectors)
                .logAlerts(logAlerts).lapseBudget(lapseBudget == null ? StepBudget.LAPSE_DEFAULT : lapseBudget);
        if (layerFilter != null && !layerFilter.include().isEmpty()) {
            b.layers(layerFilter.include().toArray(new String[0]));
        }
        if (layerFilter != null && !layerFilter.exclude().isEmpty()) {
            b.excludeLayers(layerFilter.exclude().toArray(new String[0]));
        }
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
        return "GradientMonitor{frequency=" + frequency + ", historySize=" + historySize + ", threads=" + threads + '}';
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
        private UnaryOperator<StatsPass> passes = p -> p;
        private int historySize = 1_000;
        private int threads = 1;
        private int alertHistorySize = 10_000;
        private int alertRepeatInterval = 100;
        private DetectorSuite detectors = DetectorSuite.defaults();
        private final List<AlertHandler> handlers = new ArrayList<>();
        private final List<SnapshotHandler> snapshotHandlers = new ArrayList<>();
        private boolean logAlerts = true;
        private GradientClipping clipping;
        private StepBudget skipBudget;
        private LearningRateBackoff backoff;
        private StepBudget lapseBudget = StepBudget.LAPSE_DEFAULT;
        private List<String> layers = List.of();
        private List<String> excludeLayers = List.of();

        private Builder() {
        }

        /**
         * Computes statistics for these layers only: each value is a layer name as {@code LayerGradientStats.name()}
         * shows it (a MultiLayerNetwork's configured name, else DL4J's default {@code "layer0"}, {@code "layer1"},
         * ...; a ComputationGraph's vertex name) or a layer type as {@code LayerGradientStats.type()} shows it
         * ({@code "ConvolutionLayer"}, {@code "BatchNormalization"}). Exact, case-sensitive matches; no patterns. A
         * value that matches no layer of the model is logged (one WARN line) at its first gradient. Each call
         * replaces the previous list. Default: every layer.
         *
         * <p>The other layers' statistics are not computed and snapshots do not list them; their gradient is still
         * read for one sum of squares per step ({@code GradientSnapshot.unwatched()}), so NON_FINITE, step skipping
         * and clipping keep covering the whole model. Detectors that compare the first and last layers stay quiet
         * where the filter leaves those out, and say so once. See docs/statistics.md.
         *
         * <pre>{@code
         * GradientMonitor.builder().layers("BatchNormalization", "output").build();
         * }</pre>
         */
        public Builder layers(String... namesOrTypes) {
            this.layers = filterValues("layers", namesOrTypes);
            return this;
        }

        /**
         * Computes no statistics for these layers (names or types, as for {@link #layers}); applied after
         * {@link #layers}. Each call replaces the previous list. Default: none excluded.
         *
         * <pre>{@code
         * GradientMonitor.builder().excludeLayers("ConvolutionLayer").build();
         * }</pre>
         */
        public Builder excludeLayers(String... namesOrTypes) {
            this.excludeLayers = filterValues("excludeLayers", namesOrTypes);
            return this;
        }

        private static List<String> filterValues(String option, String[] values) {
            if (values == null || values.length == 0) {
                throw new IllegalArgumentException(option + " needs at least one layer name or type (got: none); "
                        + "leave it unset to watch every layer");
            }
            List<String> list = java.util.Arrays.asList(values);
            // validates each value (null, blank, a pattern) with the option's name
            return option.equals("layers") ? new LayerFilter(list, List.of()).include()
                    : new LayerFilter(List.of(), list).exclude();
        }

        /**
         * Clips the raw gradient in place before DL4J's updater applies it, e.g.
         * {@code GradientClipping.globalNorm(1.0)}. Thresholds are batch-averaged. Default: no clipping.
         */
        public Builder clipping(GradientClipping strategy) {
            this.clipping = Checks.notNull(strategy, "clipping must not be null (leave it unset for no clipping)");
            return this;
        }

        /**
         * When true, a step whose gradient or score holds NaN/Inf is not applied: parameters and updater state are
         * restored to their values before it, then a STEP_SKIPPED alert is raised, and training goes on with the next
         * batch. Fails closed: if the monitor itself fails on a step, the step is checked the cheapest way (score,
         * NaN/Inf count of the gradient) and skipped unless proven finite. Uses {@link StepBudget#SKIP_DEFAULT}. Default
         * false.
         */
        public Builder skipNonFiniteSteps(boolean skip) {
            this.skipBudget = skip ? StepBudget.SKIP_DEFAULT : null;
            return this;
        }

        /** Skips poisoned steps within this budget; beyond it, training stops with a GradientAlertException. */
        public Builder skipNonFiniteSteps(StepBudget budget) {
            this.skipBudget = Checks.notNull(budget, "skipNonFiniteSteps budget must not be null");
            return this;
        }

        /**
         * Unprotected steps allowed when the configured clipping or step skipping cannot run (a failure inside the
         * monitor). Each one raises a CRITICAL {@code PROTECTION_LAPSED} alert; beyond the budget training stops
         * with a {@link GradientAlertException}. Default {@link StepBudget#LAPSE_DEFAULT} (3 in a row or 10 in 1,000
         * iterations); {@link StepBudget#unlimited()} never stops.
         */
        public Builder lapseBudget(StepBudget budget) {
            this.lapseBudget = Checks.notNull(budget,
                    "lapseBudget must not be null (use StepBudget.unlimited() to never stop)");
            return this;
        }

        /** Lowers the learning rate after repeated EXPLODING alerts. Default: off. */
        public Builder learningRateBackoff(LearningRateBackoff backoff) {
            this.backoff = Checks.notNull(backoff, "learningRateBackoff must not be null (leave it unset for none)");
            return this;
        }

        /**
         * The detection rules run on every snapshot. Default {@link DetectorSuite#defaults()}; {@link
         * DetectorSuite#none()} turns detection off.
         */
        public Builder detectors(DetectorSuite suite) {
            this.detectors = Checks.notNull(suite, "detectors must not be null (use DetectorSuite.none() to disable)");
            return this;
        }

        /**
         * Adds a handler that receives every alert, on the training thread, in the iteration it is raised. May be
         * called several times. A {@link io.github.dl4jgradmon.alert.StopTrainingHandler} ends training with a
         * {@link GradientAlertException} (after the other handlers got the alert); anything else a handler throws is
         * contained, logged and counted, except the JVM's fatal errors ({@link Faults#mustPass}).
         */
        public Builder onAlert(AlertHandler handler) {
            Checks.notNull(handler, "onAlert handler must not be null");
            this.handlers.add(handler);
            return this;
        }

        /** Adds a handler that receives every snapshot (storage, metrics, custom checks). May be called several times. */
        public Builder onSnapshot(SnapshotHandler handler) {
            Checks.notNull(handler, "onSnapshot handler must not be null");
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
        public Builder statsStorage(StatsStorageRouter router) {
            Checks.notNull(router, "statsStorage router must not be null");
            StatsStorageSinkFactory factory = ServiceLoader.load(StatsStorageSinkFactory.class)
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
            this.alertRepeatInterval = Checks.atLeast("alertRepeatInterval", n, 1);
            return this;
        }

        /** Alerts kept in memory for {@link GradientMonitor#alerts()}, over all workers. Default 10,000. */
        public Builder alertHistorySize(int n) {
            this.alertHistorySize = Checks.atLeast("alertHistorySize", n, 1);
            return this;
        }

        /** Compute statistics every {@code n} iterations (iterations whose count is a multiple of n). Default 1. */
        public Builder frequency(int n) {
            this.frequency = Checks.atLeast("frequency", n, 1);
            return this;
        }

        /** Snapshots kept in memory, over all workers; older ones are dropped. Default 1,000. */
        public Builder historySize(int n) {
            this.historySize = Checks.atLeast("historySize", n, 1);
            return this;
        }

        /**
         * Threads that share one statistics pass (the training thread plus helpers from a small daemon pool; training
         * is paused meanwhile). Default 1: all work on the training thread. Measured on 2 cores, a helper barely
         * shortened the pass right after a DL4J step and can get in the way of ND4J's own threads; more threads pay
         * off for models of many millions of parameters on machines with idle cores.
         */
        public Builder threads(int n) {
            this.threads = Checks.atLeast("threads", n, 1);
            return this;
        }

        /** Wraps the statistics pass each worker chooses; package-private: tests inject faults with it. */
        Builder statsPasses(UnaryOperator<StatsPass> wrap) {
            this.passes = Objects.requireNonNull(wrap, "statsPasses");
            return this;
        }

        public GradientMonitor build() {
            return new GradientMonitor(this);
        }
    }
}
