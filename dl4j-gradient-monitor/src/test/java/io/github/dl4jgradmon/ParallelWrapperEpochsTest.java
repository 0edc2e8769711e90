package io.github.dl4jgradmon;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.detect.Detector;
import io.github.dl4jgradmon.detect.DetectorSuite;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The usual DL4J loop fits a ParallelWrapper once per epoch, and DL4J builds fresh replicas for workers 1, 2, ... on
 * every call. Each place in the wrapper stays one worker: same id, one snapshot per step, detector state carried
 * from epoch to epoch, and no replica kept alive by the monitor.
 */
class ParallelWrapperEpochsTest {

    private static final int WORKERS = 2;
    private static final int EPOCHS = 12;
    private static final int BATCHES_PER_EPOCH = 8;
    /** More steps than one epoch gives a worker (4): reached only if the detector's state survives the epochs. */
    private static final int WARM_UP = 30;

    @Test
    void eachPlaceStaysOneWorkerAcrossFitCallsAndNoReplicaStaysReachable() throws Exception {
        MultiLayerNetwork net = Nets.sgdMlp(10, 16, 3);
        GradientMonitor monitor = GradientMonitor.builder().historySize(10_000).logAlerts(false)
                .detectors(DetectorSuite.builder().disableAll().add(new AfterWarmUp()).build()).build();
        StepCounter steps = new StepCounter();
        net.setListeners(monitor, steps);
        List<DataSet> batches = new ArrayList<>();
        for (int i = 0; i < BATCHES_PER_EPOCH; i++) {
            batches.add(Nets.classification(i, 8, 10, 3));
        }
        DataSet all = DataSet.merge(batches);
        try (ParallelWrapper wrapper = new ParallelWrapper.Builder<>(net)
                .workers(WORKERS).prefetchBuffer(2).averagingFrequency(2).build()) {
            for (int epoch = 0; epoch < EPOCHS; epoch++) {
                wrapper.fit(new ListDataSetIterator<>(all.asList(), 8));
            }
        }

        assertThat(monitor.faultCount()).isZero();
        assertThat(monitor.workers()).containsExactlyInAnyOrder("0", "1");
        assertThat(steps.models).as("DL4J made a new replica per fit call").hasSizeGreaterThan(EPOCHS);
        // each place (its thread) took its steps on a series of model objects; its worker holds one snapshot per step
        List<Integer> stepsPerPlace = new ArrayList<>();
        steps.perThread.values().forEach(n -> stepsPerPlace.add(n.get()));
        List<Integer> snapshotsPerWorker = new ArrayList<>();
        for (String worker : monitor.workers()) {
            List<GradientSnapshot> own = monitor.history(worker);
            snapshotsPerWorker.add(own.size());
            assertThat(own).allSatisfy(s -> assertThat(s.workerId()).isEqualTo(worker));
        }
        assertThat(stepsPerPlace).hasSize(WORKERS).allSatisfy(n -> assertThat(n).isGreaterThan(WARM_UP));
        assertThat(snapshotsPerWorker).containsExactlyInAnyOrderElementsOf(stepsPerPlace);
        assertThat(monitor.history()).hasSize(EPOCHS * BATCHES_PER_EPOCH);
        // the detector's session went on from epoch to epoch: it judged each worker once its warm-up was over
        List<GradientAlert> judged = monitor.alerts();
        assertThat(judged).extracting(GradientAlert::workerId).containsExactlyInAnyOrder("0", "1");
        for (GradientAlert alert : judged) {
            GradientSnapshot warmUpEnd = monitor.history(alert.workerId()).get(WARM_UP - 1);
            assertThat(alert.iteration()).isEqualTo(warmUpEnd.iteration());
        }

        List<WeakReference<Model>> replicas = steps.replicasOtherThan(net);
        assertThat(replicas).isNotEmpty();
        assertThat(Gc.collectAll(replicas)).as("replicas still reachable").isZero();
        assertThat(monitor.history()).isNotEmpty(); // the monitor itself is still alive and reachable here
    }

    /** Counts steps per training thread and remembers, weakly, every model object it was called with. */
    static final class StepCounter extends BaseTrainingListener {
        final Map<String, AtomicInteger> perThread = new ConcurrentHashMap<>();
        final List<WeakReference<Model>> models = new ArrayList<>();

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            perThread.computeIfAbsent(Thread.currentThread().getName(), k -> new AtomicInteger()).incrementAndGet();
            synchronized (models) {
                if (models.stream().noneMatch(r -> r.get() == model)) {
                    models.add(new WeakReference<>(model));
                }
            }
        }

        List<WeakReference<Model>> replicasOtherThan(Model original) {
            synchronized (models) {
                return models.stream().filter(r -> r.get() != original).toList();
            }
        }
    }

    /** Judges nothing until it has seen {@link #WARM_UP} snapshots of its worker, then raises one INFO alert. */
    static final class AfterWarmUp implements Detector {
        @Override
        public AlertType type() {
            return AlertType.STALLED;
        }

        @Override
        public Session newSession() {
            int[] seen = {0};
            return s -> ++seen[0] == WARM_UP
                    ? List.of(new GradientAlert(AlertType.STALLED, Severity.INFO, s.workerId(), s.iteration(),
                    GradientAlert.MODEL, Optional.empty(), seen[0], WARM_UP, "warm-up over", "none"))
                    : List.of();
        }
    }
}
