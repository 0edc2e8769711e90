package io.github.dl4jgradmon;

import io.github.dl4jgradmon.stats.BufferPath;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GradientMonitorMlnTest {

    @AfterEach
    void defaultPath() {
        TestPaths.reset();
    }

    @ParameterizedTest
    @CsvSource({"1, HOST", "2, HOST", "1, ND4J"})
    void reportsBatchAveragedGradientEqualToSgdParameterChange(int threads, BufferPath path) {
        TestPaths.use(path);
        MultiLayerNetwork net = Nets.sgdMlp(20, 64, 32, 5);
        GradientMonitor monitor = GradientMonitor.builder().threads(threads).build();
        net.addListeners(monitor);
        DataSet data = Nets.classification(1, 16, 20, 5);
        net.fit(data); // iteration 0
        Map<String, INDArray> before = Nets.paramCopies(net.paramTable());
        net.fit(data); // iteration 1: the one checked
        Map<String, INDArray> after = Nets.paramCopies(net.paramTable());

        GradientSnapshot s = monitor.latest().orElseThrow();
        assertThat(s.iteration()).isEqualTo(1);
        assertThat(s.batchSize()).isEqualTo(16);
        assertThat(s.workerId()).isEqualTo("0");
        assertThat(s.layers()).extracting(LayerGradientStats::index).containsExactly(0, 1, 2);
        assertThat(s.layers()).extracting(LayerGradientStats::type)
                .containsExactly("DenseLayer", "DenseLayer", "OutputLayer");
        assertThat(s.layers().get(0).params()).containsOnlyKeys("W", "b");
        SgdOracle.checkSnapshot(s, before, after, SgdOracle::mlnKey, 0.1, 0.05);
        assertThat(monitor.faultCount()).isZero();
        TestPaths.check(monitor);
    }

    @ParameterizedTest
    @EnumSource(BufferPath.class)
    void doublePrecisionModelsAreReadExactly(BufferPath path) {
        TestPaths.use(path);
        MultiLayerNetwork net = Nets.mlp(new Sgd(0.05), DataType.DOUBLE, 10, 16, 3);
        GradientMonitor monitor = GradientMonitor.builder().build();
        net.addListeners(monitor);
        DataSet data = Nets.classification(2, 8, 10, 3);
        data.setFeatures(data.getFeatures().castTo(DataType.DOUBLE));
        data.setLabels(data.getLabels().castTo(DataType.DOUBLE));
        Map<String, INDArray> before = Nets.paramCopies(net.paramTable());
        net.fit(data);
        Map<String, INDArray> after = Nets.paramCopies(net.paramTable());
        SgdOracle.checkSnapshot(monitor.latest().orElseThrow(), before, after, SgdOracle::mlnKey, 0.05, 1e-6);
        TestPaths.check(monitor);
    }

    @ParameterizedTest
    @EnumSource(BufferPath.class)
    void miniBatchFalseReportsTheUndividedGradient(BufferPath path) {
        TestPaths.use(path);
        MultiLayerNetwork net = Nets.sgdMlp(10, 16, 3);
        net.getLayerWiseConfigurations().getConfs().forEach(c -> c.setMiniBatch(false));
        net.conf().setMiniBatch(false);
        GradientMonitor monitor = GradientMonitor.builder().build();
        net.addListeners(monitor);
        DataSet data = Nets.classification(3, 8, 10, 3);
        Map<String, INDArray> before = Nets.paramCopies(net.paramTable());
        net.fit(data);
        Map<String, INDArray> after = Nets.paramCopies(net.paramTable());
        SgdOracle.checkSnapshot(monitor.latest().orElseThrow(), before, after, SgdOracle::mlnKey, 0.1, 0.05);
        TestPaths.check(monitor);
    }

    @Test
    void frequencySkipsIterationsThatAreNotMultiples() {
        MultiLayerNetwork net = Nets.sgdMlp(10, 8, 3);
        GradientMonitor monitor = GradientMonitor.builder().frequency(3).build();
        net.addListeners(monitor);
        DataSet data = Nets.classification(4, 8, 10, 3);
        for (int i = 0; i < 10; i++) {
            net.fit(data);
        }
        assertThat(monitor.history()).extracting(GradientSnapshot::iteration).containsExactly(0L, 3L, 6L, 9L);
    }

    @Test
    void historyIsBoundedAndKeepsTheNewest() {
        MultiLayerNetwork net = Nets.sgdMlp(10, 8, 3);
        GradientMonitor monitor = GradientMonitor.builder().historySize(5).build();
        net.addListeners(monitor);
        DataSet data = Nets.classification(5, 8, 10, 3);
        for (int i = 0; i < 20; i++) {
            net.fit(data);
        }
        assertThat(monitor.history()).extracting(GradientSnapshot::iteration)
                .containsExactly(15L, 16L, 17L, 18L, 19L);
        assertThat(monitor.snapshotCount()).isEqualTo(20);
        assertThat(monitor.latest().orElseThrow().iteration()).isEqualTo(19);
    }

    @Test
    void layerNamesComeFromTheConfiguration() {
        MultiLayerNetwork net = Nets.sgdMlp(10, 8, 3);
        GradientMonitor monitor = GradientMonitor.builder().build();
        net.addListeners(monitor);
        net.fit(Nets.classification(6, 4, 10, 3));
        GradientSnapshot s = monitor.latest().orElseThrow();
        for (LayerGradientStats layer : s.layers()) {
            String configured = net.getLayer(layer.index()).conf().getLayer().getLayerName();
            assertThat(layer.name()).isEqualTo(configured != null ? configured : String.valueOf(layer.index()));
        }
    }
}
