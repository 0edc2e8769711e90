package io.github.dl4jgradmon.spark;

import io.github.dl4jgradmon.ui.GradientMonitorRecord;
import io.github.dl4jgradmon.ui.GradientUpdate;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Every worker's statistics reach the driver's storage, and they are the numbers of an independent SGD oracle.
 *
 * <p>The oracle: parameter averaging with averaging frequency 1 and one minibatch per worker per split means each
 * worker takes exactly one plain-SGD step from the driver's parameters {@code W}. A local copy of the network, set to
 * {@code W} and fitted on worker i's minibatch, gives {@code g_i = (W - W_i) / lr}: worker i's batch-averaged gradient,
 * from parameter differences alone. Its per-layer and global L2 norms (ND4J's {@code norm2}) must equal what worker
 * i reported; and the average of the {@code g_i} must equal {@code (W - W_after) / lr} of the Spark network, which
 * ties the oracle's assignment of batches to workers to what Spark really did.
 */
class WorkerStatisticsOracleTest {

    private static final int ROUNDS = 3;
    private static final double REL = 1e-9;

    @Test
    void everyWorkersLayerNormsReachTheDriverAndMatchTheSgdOracle() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        SparkGradientMonitor monitor = SparkGradientMonitor.builder().statsStorage(storage).build();
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(SparkFixtures.spark(), SparkFixtures.initMlp(),
                SparkFixtures.averagingEveryStep());
        monitor.attachTo(sparkNet);

        List<double[][]> expectedLayerNorms = new ArrayList<>(); // [round][worker * layers]
        List<double[]> expectedGlobal = new ArrayList<>();
        MultiLayerNetwork scratch = SparkFixtures.initMlp();
        for (int round = 0; round < ROUNDS; round++) {
            List<DataSet> batches = List.of(SparkFixtures.batch(100 + 2L * round), SparkFixtures.batch(101 + 2L * round));
            INDArray before = sparkNet.getNetwork().params().dup();

            INDArray[] g = new INDArray[SparkFixtures.WORKERS];
            double[][] layerNorms = new double[SparkFixtures.WORKERS][];
            double[] global = new double[SparkFixtures.WORKERS];
            for (int w = 0; w < SparkFixtures.WORKERS; w++) {
                MultiLayerNetwork local = SparkFixtures.initMlp();
                local.setParams(before.dup());
                local.fit(batches.get(w));
                g[w] = before.sub(local.params()).divi(SparkFixtures.LR);
                scratch.setParams(g[w]);
                layerNorms[w] = new double[] {scratch.getLayer(0).params().norm2Number().doubleValue(),
                        scratch.getLayer(1).params().norm2Number().doubleValue()};
                global[w] = g[w].norm2Number().doubleValue();
            }
            expectedLayerNorms.add(layerNorms);
            expectedGlobal.add(global);

            sparkNet.fit(SparkFixtures.partitioned(batches));

            INDArray averagedStep = before.sub(sparkNet.getNetwork().params()).divi(SparkFixtures.LR);
            INDArray oracleMean = g[0].add(g[1]).divi(2);
            assertThat(averagedStep.sub(oracleMean).amaxNumber().doubleValue())
                    .as("the averaged Spark step is the mean of the oracle's per-worker gradients (round %d)", round)
                    .isLessThan(1e-12 + 1e-9 * oracleMean.amaxNumber().doubleValue());
        }

        List<String> workers = storage.listWorkerIDsForSessionAndType(monitor.sessionId(), GradientMonitorRecord.TYPE_ID);
        assertThat(workers).containsExactlyInAnyOrder(SparkFixtures.series(0), SparkFixtures.series(1));
        for (int w = 0; w < SparkFixtures.WORKERS; w++) {
            List<GradientUpdate> updates = updates(storage, monitor.sessionId(), SparkFixtures.series(w));
            assertThat(updates).extracting(GradientUpdate::iteration).containsExactly(0L, 1L, 2L);
            for (int round = 0; round < ROUNDS; round++) {
                GradientUpdate u = updates.get(round);
                assertThat(u.batchSize()).isEqualTo(SparkFixtures.BATCH);
                double[] expected = expectedLayerNorms.get(round)[w];
                for (int l = 0; l < expected.length; l++) {
                    assertThat(u.layerValue(l, GradientUpdate.GRADIENT_NORM))
                            .as("worker %d layer %d round %d", w, l, round)
                            .isCloseTo(expected[l], within(REL * expected[l]));
                }
                double global = expectedGlobal.get(round)[w];
                assertThat(u.globalGradientNorm()).isCloseTo(global, within(REL * global));
            }
        }
        assertThat(monitor.summary().snapshotsPerWorker())
                .containsEntry(SparkFixtures.series(0), (long) ROUNDS)
                .containsEntry(SparkFixtures.series(1), (long) ROUNDS);
        assertThat(monitor.alerts()).isEmpty();
    }

    static List<GradientUpdate> updates(InMemoryStatsStorage storage, String session, String worker) {
        List<GradientUpdate> list = new ArrayList<>();
        for (Persistable p : storage.getAllUpdatesAfter(session, GradientMonitorRecord.TYPE_ID, worker, 0)) {
            if (p instanceof GradientUpdate u) {
                list.add(u);
            }
        }
        list.sort((a, b) -> Long.compare(a.iteration(), b.iteration()));
        return list;
    }
}
