package io.github.dl4jgradmon;

import io.github.dl4jgradmon.stats.GradientSnapshot;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ParallelWrapperTest {

    @Test
    void twoWorkersGetSeparateStatisticsAndTheUsersInstanceSeesBoth() throws Exception {
        MultiLayerNetwork net = Nets.sgdMlp(10, 16, 3);
        GradientMonitor monitor = GradientMonitor.builder().historySize(10_000).build();
        net.setListeners(monitor);
        List<DataSet> batches = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            batches.add(Nets.classification(i, 8, 10, 3));
        }
        try (ParallelWrapper wrapper = new ParallelWrapper.Builder<>(net)
                .workers(2).prefetchBuffer(2).averagingFrequency(2).build()) {
            wrapper.fit(new ListDataSetIterator<>(DataSet.merge(batches).asList(), 8));
        }

        assertThat(monitor.workers()).hasSize(2);
        assertThat(monitor.faultCount()).isZero();
        long total = 0;
        for (String worker : monitor.workers()) {
            List<GradientSnapshot> own = monitor.history(worker);
            assertThat(own).as("worker %s", worker).isNotEmpty();
            assertThat(own).allSatisfy(s -> assertThat(s.workerId()).isEqualTo(worker));
            // each worker's model counts its own iterations: never a duplicate or a step back, as a mixed-up
            // per-model state would produce
            assertThat(own).extracting(GradientSnapshot::iteration).isSorted().doesNotHaveDuplicates();
            assertThat(own).allSatisfy(s -> {
                assertThat(s.globalGradientNorm()).isPositive().isFinite();
                assertThat(s.layers().get(0).updateNorm()).as("update observed").isPositive();
            });
            total += own.size();
        }
        assertThat(total).isEqualTo(40).isEqualTo(monitor.history().size());
    }
}
