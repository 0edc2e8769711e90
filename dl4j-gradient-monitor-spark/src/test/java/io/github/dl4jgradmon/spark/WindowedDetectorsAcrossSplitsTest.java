package io.github.dl4jgradmon.spark;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.ui.GradientUpdate;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker's monitor continues across the splits (tasks) of its series: a detector whose window is longer than one
 * averaging round still fires. The parameter-averaging master trains at most {@code averagingFrequency} minibatches
 * per worker and split, each split in a new task with a new model, so a monitor started afresh in every task would
 * never see the 5 consecutive snapshots VANISHING needs when the averaging frequency is 3.
 */
class WindowedDetectorsAcrossSplitsTest {

    private static final int AVERAGING_FREQUENCY = 3;
    private static final int PATIENCE = 5;

    @Test
    void vanishingNeedingFiveSnapshotsFiresWhenEachSplitHasOnlyThreeSteps() {
        MultiLayerNetwork deep = SparkFixtures.initDeepSigmoid(10);
        assertThat(vanishesLocally(deep.clone())).as("the condition holds on this net from its first step").isTrue();
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        SparkGradientMonitor monitor = SparkGradientMonitor.builder().statsStorage(storage).build();
        ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(SparkFixtures.BATCH)
                .batchSizePerWorker(SparkFixtures.BATCH).averagingFrequency(AVERAGING_FREQUENCY)
                .workerPrefetchNumBatches(0).repartionData(Repartition.Never)
                .rddTrainingApproach(RDDTrainingApproach.Direct).build();
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(SparkFixtures.spark(), deep, master);
        monitor.attachTo(sparkNet);
        List<DataSet> batches = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            batches.add(SparkFixtures.batch(900 + i));
        }

        sparkNet.fit(SparkFixtures.spark().parallelize(batches, SparkFixtures.WORKERS));

        // one monitor per series kept in the executor JVM (local mode: this one), leased by each split's task
        assertThat(ExecutorMonitors.<SparkWorkerListener.Kept>jvm().kept())
                .contains(monitor.sessionId() + "/" + SparkFixtures.series(0),
                        monitor.sessionId() + "/" + SparkFixtures.series(1));
        java.util.Set<String> series = monitor.summary().workers();
        assertThat(series).containsExactly(SparkFixtures.series(0), SparkFixtures.series(1));
        for (String s : series) {
            List<GradientUpdate> updates = WorkerStatisticsOracleTest.updates(storage, monitor.sessionId(), s);
            // more snapshots than one split can hold, their iterations increasing across the splits
            assertThat(updates).hasSizeGreaterThanOrEqualTo(PATIENCE);
            for (int i = 1; i < updates.size(); i++) {
                assertThat(updates.get(i).iteration()).isGreaterThan(updates.get(i - 1).iteration());
            }
            List<GradientAlert> vanishing = monitor.alerts(s).stream()
                    .filter(a -> a.type() == AlertType.VANISHING).toList();
            assertThat(vanishing).as("VANISHING on %s", s).isNotEmpty();
            // raised at the series' fifth snapshot: after its first split
            assertThat(vanishing.get(0).iteration()).isEqualTo(updates.get(PATIENCE - 1).iteration())
                    .isGreaterThanOrEqualTo(AVERAGING_FREQUENCY);
        }
    }

    /** The VANISHING rule, checked independently on a local copy: first/last layer gradient norms, 3 steps. */
    private static boolean vanishesLocally(MultiLayerNetwork net) {
        for (int step = 0; step < 3; step++) {
            DataSet d = SparkFixtures.batch(900 + step);
            net.setInput(d.getFeatures());
            net.setLabels(d.getLabels());
            net.computeGradientAndScore();
            double first = net.getLayer(0).getGradientsViewArray().norm2Number().doubleValue() / SparkFixtures.BATCH;
            int last = net.getnLayers() - 1;
            double out = net.getLayer(last).getGradientsViewArray().norm2Number().doubleValue() / SparkFixtures.BATCH;
            if (!(first / out < 1e-3 && first < 1e-4)) {
                return false;
            }
            net.fit(d);
        }
        return true;
    }
}
