package com.example;

import io.github.dl4jgradmon.GradientMonitor;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The installed artifacts work from a project of their own: statistics, the UI sink found by its service file. */
class TrainWithMonitorTest {

    @Test
    void monitorMeasuresTheAppliedSgdStepAndFeedsTheUiStorage() {
        MultiLayerNetwork net = TrainWithMonitor.network();
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        GradientMonitor monitor = GradientMonitor.builder().statsStorage(storage).build();
        net.addListeners(monitor);
        DataSet data = TrainWithMonitor.data(64, 3);

        for (int i = 0; i < 5; i++) {
            INDArray before = net.params().dup();
            net.fit(data);
            // plain SGD: the batch-averaged gradient is (params before - params after) / learning rate
            double expected = before.sub(net.params()).norm2Number().doubleValue() / TrainWithMonitor.LEARNING_RATE;
            GradientSnapshot snapshot = monitor.latest().orElseThrow();
            assertEquals(i, snapshot.iteration());
            assertEquals(expected, snapshot.globalGradientNorm(), expected * 1e-4);
            assertEquals(3, snapshot.layers().size());
        }
        assertFalse(storage.listSessionIDs().isEmpty(), "the UI sink wrote no session into the storage");
        String session = storage.listSessionIDs().get(0);
        assertTrue(storage.listTypeIDsForSession(session).stream().anyMatch(t -> t.toLowerCase().contains("grad")),
                "no gradient-monitor records in the storage: " + storage.listTypeIDsForSession(session));
    }
}
