package io.github.dl4jgradmon.spark;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.clip.GradientClipping;
import io.github.dl4jgradmon.ui.GradientAlertRecord;
import io.github.dl4jgradmon.ui.GradientMonitorRecord;
import io.github.dl4jgradmon.ui.GradientUpdate;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Alerts raised on one worker reach the driver with that worker's name, and the reactions (skipping, clipping) act on
 * the workers' own steps. Which worker sees what is known from the data layout alone: DataSet i is partition i, and
 * partition i is worker {@code "driver-p<i>"}. Expected parameters come from an independent SGD oracle (a local copy of
 * the network stepping on the same batch), never from the monitor's numbers.
 */
class WorkerAlertsAndReactionsTest {

    @Test
    void nanRowsOnOnePartitionRaiseNonFiniteOnThatWorkerAndReachTheDriver() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        List<GradientAlert> onDriver = new CopyOnWriteArrayList<>();
        SparkGradientMonitor monitor = SparkGradientMonitor.builder().statsStorage(storage).onAlert(onDriver::add)
                .build();
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(SparkFixtures.spark(), SparkFixtures.initMlp(),
                SparkFixtures.averagingEveryStep());
        monitor.attachTo(sparkNet);

        sparkNet.fit(SparkFixtures.partitioned(List.of(SparkFixtures.batch(1), SparkFixtures.poisoned(2, 2))));

        String poisoned = SparkFixtures.series(1);
        assertThat(monitor.alerts()).filteredOn(a -> a.type() == AlertType.NON_FINITE).isNotEmpty()
                .allSatisfy(a -> {
                    assertThat(a.workerId()).isEqualTo(poisoned);
                    assertThat(a.iteration()).isZero();
                });
        assertThat(monitor.alerts()).noneMatch(a -> a.workerId().equals(SparkFixtures.series(0)));
        assertThat(onDriver).isEqualTo(monitor.alerts());
        GradientAlert first = monitor.alerts().get(0);
        assertThat(first.layerLabel()).isNotBlank();

        RunSummary summary = monitor.summary();
        assertThat(summary.workers()).containsExactly(SparkFixtures.series(0), poisoned);
        assertThat(summary.alert(AlertType.NON_FINITE)).hasValueSatisfying(a -> {
            assertThat(a.workers()).containsExactly(poisoned);
            assertThat(a.firstWorker()).isEqualTo(poisoned);
        });
        assertThat(summary.toText()).contains("NON_FINITE", "on 1 of 2 workers", poisoned);

        List<Persistable> stored = storage.getAllUpdatesAfter(monitor.sessionId(), GradientMonitorRecord.TYPE_ID,
                poisoned, 0);
        assertThat(stored).filteredOn(p -> p instanceof GradientAlertRecord)
                .extracting(p -> ((GradientAlertRecord) p).alertType()).contains("NON_FINITE");
        assertThat(storage.getAllUpdatesAfter(monitor.sessionId(), GradientMonitorRecord.TYPE_ID,
                SparkFixtures.series(0), 0)).noneMatch(p -> p instanceof GradientAlertRecord);
        // Unprotected, the NaN worker's parameters poison the average: what skipping prevents below.
        assertThat(sparkNet.getNetwork().params().isNaN().any()).isTrue();
    }

    @Test
    void aSkippedStepOnOneWorkerLeavesItsParametersSoTheAverageHoldsOnlyTheCleanWorkersStep() {
        SparkGradientMonitor monitor = SparkGradientMonitor.builder().worker(b -> b.skipNonFiniteSteps(true)).build();
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(SparkFixtures.spark(), SparkFixtures.initMlp(),
                SparkFixtures.averagingEveryStep());
        monitor.attachTo(sparkNet);
        DataSet clean = SparkFixtures.batch(3);
        INDArray before = sparkNet.getNetwork().params().dup();
        INDArray g0 = oracleGradient(before, clean);

        sparkNet.fit(SparkFixtures.partitioned(List.of(clean, SparkFixtures.poisoned(4, 3))));

        // Worker 1 restored W, worker 0 stepped to W - lr g0: the average is W - lr g0 / 2.
        INDArray step = before.sub(sparkNet.getNetwork().params()).divi(SparkFixtures.LR);
        assertThat(step.sub(g0.div(2)).amaxNumber().doubleValue()).isLessThan(1e-12);
        assertThat(monitor.alerts(SparkFixtures.series(1))).extracting(GradientAlert::type)
                .contains(AlertType.STEP_SKIPPED);
        assertThat(monitor.alerts(SparkFixtures.series(0))).isEmpty();
    }

    @Test
    void globalNormClippingOnWorkersScalesEachWorkersOwnStep() {
        INDArray start = SparkFixtures.initMlp().params().dup();
        List<DataSet> batches = List.of(SparkFixtures.batch(5), SparkFixtures.batch(6));
        INDArray g0 = oracleGradient(start, batches.get(0));
        INDArray g1 = oracleGradient(start, batches.get(1));
        double n0 = g0.norm2Number().doubleValue();
        double n1 = g1.norm2Number().doubleValue();
        double max = 0.5 * Math.min(n0, n1);

        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        SparkGradientMonitor monitor = SparkGradientMonitor.builder().statsStorage(storage)
                .worker(b -> b.clipping(GradientClipping.globalNorm(max))).build();
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(SparkFixtures.spark(), SparkFixtures.initMlp(),
                SparkFixtures.averagingEveryStep());
        assertThat(sparkNet.getNetwork().params()).isEqualTo(start);
        monitor.attachTo(sparkNet);

        sparkNet.fit(SparkFixtures.partitioned(batches));

        // Each worker stepped by lr * g_i * max / (|g_i| + 1e-6); parameter averaging takes the mean of the two.
        INDArray expected = g0.mul(max / (n0 + 1e-6)).addi(g1.mul(max / (n1 + 1e-6))).divi(2);
        INDArray step = start.sub(sparkNet.getNetwork().params()).divi(SparkFixtures.LR);
        assertThat(step.sub(expected).amaxNumber().doubleValue()).isLessThan(1e-9 * expected.amaxNumber().doubleValue());
        double[] norms = {n0, n1};
        for (int w = 0; w < 2; w++) {
            GradientUpdate u = WorkerStatisticsOracleTest.updates(storage, monitor.sessionId(), SparkFixtures.series(w))
                    .get(0);
            assertThat(u.modelValue(GradientUpdate.CLIP_SCALE)).isPresent();
            assertThat(u.modelValue(GradientUpdate.CLIP_SCALE).getAsDouble())
                    .isCloseTo(max / (norms[w] + 1e-6), within(1e-9));
        }
    }

    @Test
    void aComputationGraphReportsByVertexNameAndItsNanWorker() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        SparkGradientMonitor monitor = SparkGradientMonitor.builder().statsStorage(storage).build();
        SparkComputationGraph sparkNet = new SparkComputationGraph(SparkFixtures.spark(), SparkFixtures.initGraph(),
                SparkFixtures.averagingEveryStep());
        monitor.attachTo(sparkNet);

        sparkNet.fit(SparkFixtures.partitioned(List.of(SparkFixtures.poisoned(7, 1), SparkFixtures.batch(8))));

        assertThat(monitor.summary().alert(AlertType.NON_FINITE))
                .hasValueSatisfying(a -> assertThat(a.workers()).containsExactly(SparkFixtures.series(0)));
        GradientUpdate clean = WorkerStatisticsOracleTest.updates(storage, monitor.sessionId(),
                SparkFixtures.series(1)).get(0);
        assertThat(clean.layerNames()).containsExactly("hidden_a", "out");
        assertThat(clean.globalGradientNorm()).isPositive();
    }

    @Test
    void refusesATrainingMasterWhoseWorkersRecordsNeverReachTheDriver() {
        assertThatThrownBy(() -> SparkGradientMonitor.checkMaster(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("supports ParameterAveragingTrainingMaster (got: null)");
    }

    /** Worker i's batch-averaged gradient from a local plain-SGD step: (W - W_i) / lr. */
    static INDArray oracleGradient(INDArray params, DataSet batch) {
        MultiLayerNetwork local = SparkFixtures.initMlp();
        local.setParams(params.dup());
        local.fit(batch);
        return params.sub(local.params()).divi(SparkFixtures.LR);
    }
}
