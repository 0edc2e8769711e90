package io.github.dl4jgradmon.spark;

import io.github.dl4jgradmon.ui.GradientMonitorRecord;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

import java.io.File;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parameter-averaging master on its defaults (data exported to files, repartitioned by a shuffle every split) with
 * a FileStatsStorage on the driver. Pins the module's exclusion of MapDB's old lz4 jar: with it on the classpath the
 * shuffle fails with {@code NoSuchMethodError: LZ4BlockInputStream.<init>}.
 */
class DefaultMasterSettingsTest {

    /** Counts the worker steps (iterationDone calls) of every task into a driver-side accumulator. */
    static final class StepCounter extends BaseTrainingListener implements Serializable {
        private final LongAccumulator steps;

        StepCounter(LongAccumulator steps) {
            this.steps = steps;
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            steps.add(1);
        }
    }

    @TempDir
    File dir;

    @Test
    void shuffledSplitsStillReportEveryWorkerStepIntoAFileStorage() {
        File file = new File(dir, "stats.bin");
        FileStatsStorage storage = new FileStatsStorage(file);
        SparkGradientMonitor monitor = SparkGradientMonitor.builder().statsStorage(storage).build();
        ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(SparkFixtures.BATCH)
                .batchSizePerWorker(SparkFixtures.BATCH).averagingFrequency(2).workerPrefetchNumBatches(0).build();
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(SparkFixtures.spark(), SparkFixtures.initMlp(), master);
        LongAccumulator steps = SparkFixtures.spark().sc().longAccumulator("worker steps");
        monitor.attachTo(sparkNet, new StepCounter(steps));
        List<DataSet> batches = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            batches.add(SparkFixtures.batch(500 + i));
        }

        sparkNet.fit(SparkFixtures.spark().parallelize(batches, 3));

        // Counted independently by a second listener through a Spark accumulator. Not always 8: the random split can
        // give a worker more than averagingFrequency minibatches, and dl4j-spark drops the extra ones.
        assertThat(steps.value()).isBetween(6L, 8L);
        assertThat(monitor.summary().snapshots()).isEqualTo(steps.value());
        assertThat(monitor.summary().workers()).containsExactly(SparkFixtures.series(0), SparkFixtures.series(1));
        storage.close();
        FileStatsStorage reopened = new FileStatsStorage(file);
        try {
            long stored = 0;
            for (String worker : reopened.listWorkerIDsForSessionAndType(monitor.sessionId(),
                    GradientMonitorRecord.TYPE_ID)) {
                stored += reopened.getNumUpdateRecordsFor(monitor.sessionId(), GradientMonitorRecord.TYPE_ID, worker);
            }
            assertThat(stored).isEqualTo(steps.value());
        } finally {
            reopened.close();
        }
    }
}
