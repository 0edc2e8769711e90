package io.github.dl4jgradmon;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.clip.GradientClipping;
import io.github.dl4jgradmon.detect.DetectorSuite;
import io.github.dl4jgradmon.model.LayerGraph;
import io.github.dl4jgradmon.stats.BufferPath;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;
import io.github.dl4jgradmon.stats.UnwatchedLayers;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code layers(...)}/{@code excludeLayers(...)}: the watched layers' statistics are those of the unfiltered monitor,
 * the others are absent from the snapshot, and protections (NON_FINITE, step skipping, clipping) still cover the whole
 * model. Reads the WARN lines the test binding (slf4j-simple, to {@code System.err}) writes.
 */
class LayerFilterTest {

    @RegisterExtension
    final CapturedStderr log = new CapturedStderr();

    private List<String> warnings(String containing) {
        return log.lines("WARN io.github.dl4jgradmon.GradientMonitor", containing);
    }

    /** 6-8-8-3: layers "layer0", "layer1" (DenseLayer) and "layer2" (OutputLayer, DL4J's default names), identical for one seed. */
    private static MultiLayerNetwork net() {
        return Nets.mlp(new Adam(0.01), DataType.FLOAT, 6, 8, 8, 3);
    }

    private static final DataSet DATA = Nets.classification(5, 16, 6, 3);

    private static GradientSnapshot train(MultiLayerNetwork net, GradientMonitor monitor, int steps) {
        net.setListeners(monitor);
        for (int i = 0; i < steps; i++) {
            net.fit(DATA);
        }
        return monitor.latest().orElseThrow();
    }

    // ---- the builder ----

    @Test
    void aPatternIsRefusedNamingTheOptionAndTheValue() {
        assertThatThrownBy(() -> GradientMonitor.builder().layers("conv*"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("layers takes exact layer names or types, not patterns (got: 'conv*')");
        assertThatThrownBy(() -> GradientMonitor.builder().excludeLayers("block_?"))
                .hasMessageStartingWith("excludeLayers takes exact layer names or types, not patterns (got: 'block_?')");
    }

    @Test
    void blankNullAndMissingValuesAreRefusedNamingTheOption() {
        assertThatThrownBy(() -> GradientMonitor.builder().layers("dense", " "))
                .hasMessage("layers values must be layer names or types (got: ' ')");
        assertThatThrownBy(() -> GradientMonitor.builder().excludeLayers("dense", null))
                .hasMessage("excludeLayers values must be layer names or types (got: null)");
        assertThatThrownBy(() -> GradientMonitor.builder().layers())
                .hasMessageStartingWith("layers needs at least one layer name or type (got: none)");
    }

    @Test
    void aLayerBothWatchedAndExcludedIsRefusedAtBuild() {
        GradientMonitor.Builder b = GradientMonitor.builder().layers("0", "DenseLayer").excludeLayers("DenseLayer");
        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("layers and excludeLayers both name 'DenseLayer': name it in one of them");
    }

    @Test
    void theFilterReachesTheMonitorAndSurvivesSerialization() throws Exception {
        assertThat(GradientMonitor.builder().build().layerFilter()).isEqualTo(LayerFilter.ALL)
                .satisfies(f -> assertThat(f.isActive()).isFalse());
        GradientMonitor monitor = GradientMonitor.builder().layers("out", "BatchNormalization").excludeLayers("bn_3")
                .build();
        assertThat(monitor.layerFilter().include()).containsExactly("out", "BatchNormalization");
        assertThat(monitor.layerFilter().exclude()).containsExactly("bn_3");

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(monitor);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(((GradientMonitor) in.readObject()).layerFilter()).isEqualTo(monitor.layerFilter());
        }
    }

    // ---- what the snapshot holds ----

    @ParameterizedTest
    @EnumSource(BufferPath.class)
    void watchedLayersOfANetworkByNameHaveExactlyTheUnfilteredNumbers(BufferPath path) {
        TestPaths.use(path);
        GradientSnapshot all = train(net(), GradientMonitor.builder().build(), 3);
        GradientMonitor filteredMonitor = GradientMonitor.builder().layers("layer1", "layer2").build();
        GradientSnapshot part = train(net(), filteredMonitor, 3);

        assertThat(part.layers()).extracting(LayerGradientStats::name).containsExactly("layer1", "layer2");
        assertThat(part.layers()).containsExactly(all.layers().get(1), all.layers().get(2));
        assertThat(part.globalGradientNorm()).isCloseTo(all.globalGradientNorm(),
                within(1e-9 * all.globalGradientNorm()));
        UnwatchedLayers u = part.unwatched().orElseThrow();
        assertThat(u.filter()).isEqualTo("layers=[layer1, layer2]");
        assertThat(u.layerCount()).isEqualTo(1);
        assertThat(u.paramCount()).isEqualTo(6 * 8 + 8);
        assertThat(u.gradientNorm()).isCloseTo(all.layers().get(0).gradientNorm(),
                within(1e-6 * all.layers().get(0).gradientNorm()));
        assertThat(part.graph()).isEqualTo(LayerGraph.of(new boolean[] {false, false}, new boolean[] {false, true},
                new int[][] {{1}, {}}));
        assertThat(all.unwatched()).isEmpty();
        TestPaths.check(filteredMonitor);
    }

    @Test
    void aWatchedLayersNormEqualsDl4jsOwnGradientArray() {
        MultiLayerNetwork net = net();
        GradientMonitor monitor = GradientMonitor.builder().layers("OutputLayer").build();
        ViewRecorder dl4j = new ViewRecorder();
        net.setListeners(monitor, dl4j);
        net.fit(DATA);
        net.fit(DATA);

        LayerGradientStats out = monitor.latest().orElseThrow().layers().get(0);
        assertThat(out.name()).isEqualTo("layer2");
        double expected = dl4j.layers.get("2").get("W").gradient.norm2Number().doubleValue() / dl4j.batchSize;
        assertThat(out.params().get("W").gradientNorm()).isCloseTo(expected, within(1e-6 * expected));
    }

    @Test
    void graphLayersAreChosenByTypeByNameOrBoth() {
        DataSet data = Nets.classification(11, 16, 12, 4);
        GradientMonitor byType = GradientMonitor.builder().layers("OutputLayer").build();
        GradientMonitor byExclusion = GradientMonitor.builder().excludeLayers("DenseLayer").build();
        GradientMonitor byNames = GradientMonitor.builder().layers("dense_in", "out").build();
        GradientMonitor mixed = GradientMonitor.builder().layers("DenseLayer").excludeLayers("block_1_a").build();
        for (GradientMonitor m : List.of(byType, byExclusion, byNames, mixed)) {
            ComputationGraph graph = GradientMonitorGraphTest.residualGraph();
            graph.setListeners(m);
            graph.fit(data);
        }
        assertThat(byType.latest().orElseThrow().layers()).extracting(LayerGradientStats::name).containsExactly("out");
        assertThat(byExclusion.latest().orElseThrow().layers()).extracting(LayerGradientStats::name)
                .containsExactly("out");
        GradientSnapshot named = byNames.latest().orElseThrow();
        assertThat(named.layers()).extracting(LayerGradientStats::name).containsExactly("dense_in", "out");
        assertThat(named.graph().isInputSide(0)).isTrue();
        assertThat(named.graph().isOutputSide(1)).isTrue();
        assertThat(named.graph().reaches(0, 1)).as("dense_in feeds out through the unwatched block").isTrue();
        assertThat(mixed.latest().orElseThrow().layers()).extracting(LayerGradientStats::name)
                .containsExactly("dense_in", "block_1_b");
        assertThat(mixed.latest().orElseThrow().unwatched().orElseThrow().layerCount()).isEqualTo(2);
    }

    // ---- protections still see the whole model ----

    @Test
    void aNanInAnUnwatchedLayerRaisesNonFinite() {
        MultiLayerNetwork net = net();
        GradientMonitor monitor = GradientMonitor.builder().layers("layer2").build();
        net.setListeners(new NanOnce(1), monitor); // entry 3 of the flat buffer: layer 0's W
        net.fit(DATA);
        net.fit(DATA);

        GradientSnapshot s = monitor.latest().orElseThrow();
        assertThat(s.layers()).extracting(LayerGradientStats::name).containsExactly("layer2");
        assertThat(s.isFinite()).isFalse();
        assertThat(s.unwatched().orElseThrow().nanCount()).isEqualTo(1);
        assertThat(s.globalGradientNorm()).isNaN();
        assertThat(monitor.alerts()).filteredOn(a -> a.type() == AlertType.NON_FINITE).singleElement()
                .satisfies(a -> assertThat(a.message()).contains("layer filter leaves out (layers=[layer2]) has 1 NaN"));
    }

    @Test
    void stepSkippingSkipsAStepPoisonedInAnUnwatchedLayer() {
        MultiLayerNetwork net = net();
        GradientMonitor monitor = GradientMonitor.builder().layers("layer2").skipNonFiniteSteps(true).build();
        net.setListeners(new NanOnce(1), monitor);
        net.fit(DATA);
        INDArray params = net.params().dup();
        INDArray state = net.getUpdater().getStateViewArray().dup();

        net.fit(DATA); // iteration 1: a NaN in layer 0, which the filter leaves out

        assertThat(net.params()).isEqualTo(params);
        assertThat(net.getUpdater().getStateViewArray()).isEqualTo(state);
        assertThat(monitor.alerts()).extracting(GradientAlert::type).contains(AlertType.STEP_SKIPPED);
        net.fit(DATA);
        assertThat(net.params().isNaN().any()).isFalse();
    }

    @Test
    void globalNormClippingStillClipsByTheWholeModelsNorm() {
        MultiLayerNetwork whole = net();
        MultiLayerNetwork part = net();
        train(whole, GradientMonitor.builder().clipping(GradientClipping.globalNorm(1e-3)).build(), 3);
        GradientSnapshot s = train(part, GradientMonitor.builder().layers("layer2")
                .clipping(GradientClipping.globalNorm(1e-3)).build(), 3);

        assertThat(s.reaction().clipped()).isTrue();
        assertThat(part.params()).as("every layer moved as under the unfiltered monitor").isEqualTo(whole.params());
    }

    // ---- said once ----

    @Test
    void aValueThatMatchesNoLayerIsWarnedOnceNamingIt() {
        GradientMonitor monitor = GradientMonitor.builder().layers("layer2", "2", "ConvolutionLayer")
                .detectors(DetectorSuite.none()).build();
        train(net(), monitor, 2);
        train(net(), monitor, 2);

        assertThat(warnings("match no layer")).singleElement().asString()
                .contains("layers=[layer2, 2, ConvolutionLayer]").contains("['2', 'ConvolutionLayer'] match no layer")
                .contains("names ['layer0', 'layer1', 'layer2']").contains("types ['DenseLayer', 'OutputLayer']");
    }

    @Test
    void detectorsBlindedByTheFilterSayItOnce() {
        GradientMonitor monitor = GradientMonitor.builder().layers("layer1").build();
        train(net(), monitor, 3);
        train(net(), monitor, 3);

        assertThat(warnings("stay quiet")).singleElement().asString()
                .contains("layer filter layers=[layer1]")
                .contains("VanishingDetector and ExplodingDetector's layer-ratio rule")
                .contains("not judged: ['layer0']")
                .contains("input-scale hint");
    }

    @Test
    void watchingTheFirstAndLastLayersKeepsTheRatioDetectors() {
        train(net(), GradientMonitor.builder().layers("layer0", "layer2").build(), 2);
        assertThat(warnings("stay quiet")).singleElement().asString()
                .doesNotContain("VanishingDetector").contains("input-scale hint");
    }

    @Test
    void noFilterNoWarning() {
        train(net(), GradientMonitor.builder().build(), 2);
        train(net(), GradientMonitor.builder().layers("DenseLayer", "OutputLayer").build(), 2);
        assertThat(warnings("layer filter")).isEmpty();
    }
}
