package io.github.dl4jgradmon.spark;

import io.github.dl4jgradmon.ui.GradientMonitorRecord;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parameter-averaging master on its defaults (data exported to files, repartitioned by a shuffle every split) with
 * a FileStatsStorage on the driver. Pins the module's exclusion of MapDB's old lz4 jar: with it on the classpath the
 * shuffle fails with {@code NoSuchMethodError: LZ4BlockInputStream.<init>}.
 */
class DefaultMasterSettingsTest {

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
        monitor.attachTo(sparkNet);
        List<DataSet> batches = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            batches.add(SparkFixtures.batch(500 + i));
        }

        sparkNet.fit(SparkFixtures.spark().parallelize(batches, 3));

        // 8 minibatches of batchSizePerWorker examples: 8 worker steps in all, spread over both workers.
        assertThat(monitor.summary().snapshots()).isEqualTo(8);
        assertThat(monitor.summary().workers()).containsExactly(SparkFixtures.series(0), SparkFixtures.series(1));
        storage.close();
        FileStatsStorage reopened = new FileStatsStorage(file);
        try {
            long stored = 0;
            for (String worker : reopened.listWorkerIDsForSessionAndType(monitor.sessionId(),
                    GradientMonitorRecord.TYPE_ID)) {
                stored += reopened.getNumUpdateRecordsFor(monitor.sessionId(), GradientMonitorRecord.TYPE_ID, worker);
            }
            assertThat(stored).isEqualTo(8);
        } finally {
            reopened.close();
        }
    }
}
