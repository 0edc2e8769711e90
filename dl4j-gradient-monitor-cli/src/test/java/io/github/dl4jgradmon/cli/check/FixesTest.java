package io.github.dl4jgradmon.cli.check;

import io.github.dl4jgradmon.alert.AlertType;
import org.assertj.core.api.Assertions;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInitRelu;
import org.deeplearning4j.nn.weights.WeightInitXavier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Each fix is the configuration change it says it is, and applies when the findings call for it. */
class FixesTest {

    private static Layer layer(MultiLayerConfiguration c, int i) {
        return c.getConf(i).getLayer();
    }

    @Test
    void reluHeTurnsEverySigmoidHiddenLayerIntoReluWithHeInitAndLeavesTheOutput() {
        MultiLayerConfiguration original = ExampleConfigs.deepSigmoid();
        MultiLayerConfiguration fixed = (MultiLayerConfiguration) Fixes.RELU_HE.transform().apply(original.clone());

        for (int i = 0; i < 12; i++) {
            BaseLayer l = (BaseLayer) layer(fixed, i);
            assertThat(l.getActivationFn()).isInstanceOf(ActivationReLU.class);
            assertThat(l.getWeightInitFn()).isInstanceOf(WeightInitRelu.class);
        }
        assertThat(((BaseLayer) layer(fixed, 12)).getActivationFn()).isInstanceOf(ActivationSoftmax.class);
        // the copy was changed, not the original
        assertThat(((BaseLayer) layer(original, 0)).getActivationFn()).isInstanceOf(ActivationSigmoid.class);
        assertThat(((BaseLayer) layer(original, 0)).getWeightInitFn()).isInstanceOf(WeightInitXavier.class);
    }

    @Test
    void batchNormGoesAfterEveryHiddenDenseLayerAndTheNetworkBuilds() {
        MultiLayerConfiguration fixed = (MultiLayerConfiguration) Fixes.BATCH_NORM.transform()
                .apply(ExampleConfigs.deepSigmoid().clone());

        assertThat(fixed.getConfs()).hasSize(12 * 2 + 1);
        for (int i = 0; i < 12; i++) {
            assertThat(layer(fixed, 2 * i)).isInstanceOf(DenseLayer.class);
            BatchNormalization bn = (BatchNormalization) layer(fixed, 2 * i + 1);
            assertThat(bn.getNOut()).isEqualTo(32);
            assertThat(bn.getLayerName()).isEqualTo("layer" + i + "_bn");
        }
        assertThat(layer(fixed, 24)).isInstanceOf(OutputLayer.class);
        MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(fixed.toJson()));
        net.init();
        assertThat(net.output(Nd4j.rand(3, 20)).shape()).containsExactly(3, 4);
    }

    @Test
    void batchNormShiftsPreprocessorsWithTheirLayers() {
        MultiLayerConfiguration cnn = TestModels.cnn(8, 8, 1, 2); // conv, pool, [CnnToFF] dense, output
        int denseIndex = 2;
        assertThat(cnn.getInputPreProcess(denseIndex)).isInstanceOf(CnnToFeedForwardPreProcessor.class);

        MultiLayerConfiguration fixed = (MultiLayerConfiguration) Fixes.BATCH_NORM.transform().apply(cnn.clone());

        // conv, conv_bn, pool, dense, dense_bn, output: the preprocessor still sits before the dense layer
        assertThat(fixed.getConfs()).hasSize(6);
        assertThat(layer(fixed, 1)).isInstanceOf(BatchNormalization.class);
        assertThat(layer(fixed, 3)).isInstanceOf(DenseLayer.class);
        assertThat(fixed.getInputPreProcess(3)).isInstanceOf(CnnToFeedForwardPreProcessor.class);
        MultiLayerNetwork net = new MultiLayerNetwork(fixed);
        net.init();
        assertThat(net.output(Nd4j.rand(2, 1, 8, 8)).shape()).containsExactly(2, 2);
    }

    @Test
    void batchNormInAGraphRewiresTheConsumers() {
        ComputationGraphConfiguration fixed = (ComputationGraphConfiguration) Fixes.BATCH_NORM.transform()
                .apply(ExampleConfigs.residualGraph().clone());

        assertThat(fixed.getVertexInputs().get("dense0_bn")).containsExactly("dense0");
        assertThat(fixed.getVertexInputs().get("dense1")).containsExactly("dense0_bn");
        assertThat(fixed.getVertexInputs().get("add1")).containsExactly("dense0_bn", "dense1_bn");
        assertThat(((LayerVertex) fixed.getVertices().get("dense0_bn")).getLayerConf().getLayer())
                .isInstanceOf(BatchNormalization.class);
        ComputationGraph g = new ComputationGraph(ComputationGraphConfiguration.fromJson(fixed.toJson()));
        g.init();
        assertThat(g.outputSingle(Nd4j.rand(3, 20)).shape()).containsExactly(3, 4);
    }

    @Test
    void learningRateFixDividesEveryRateByTen() {
        MultiLayerConfiguration original = ExampleConfigs.reluHeAdam(); // Adam(1e-3)
        MultiLayerConfiguration fixed = (MultiLayerConfiguration) Fixes.LR_DOWN.transform().apply(original.clone());

        for (int i = 0; i < fixed.getConfs().size(); i++) {
            Adam a = (Adam) ((BaseLayer) layer(fixed, i)).getIUpdater();
            assertThat(a.getLearningRate()).isCloseTo(1e-4, Assertions.within(1e-12));
        }
        assertThat(((Adam) ((BaseLayer) layer(original, 0)).getIUpdater()).getLearningRate()).isEqualTo(1e-3);
        MultiLayerConfiguration sgd = (MultiLayerConfiguration) Fixes.LR_DOWN.transform()
                .apply(ExampleConfigs.deepSigmoid().clone()); // Sgd(0.1)
        assertThat(((Sgd) ((BaseLayer) layer(sgd, 5)).getIUpdater()).getLearningRate())
                .isCloseTo(0.01, Assertions.within(1e-12));
    }

    @Test
    void clippingFixLeavesTheConfigurationAndClipsInTheMonitor() {
        MultiLayerConfiguration original = ExampleConfigs.reluHeAdam();
        Object fixed = Fixes.CLIP.transform().apply(original.clone());

        assertThat(((MultiLayerConfiguration) fixed).toJson()).isEqualTo(original.toJson());
        assertThat(Fixes.CLIP.clipping()).isPresent();
        assertThat(Fixes.CLIP.clipping().get().toString()).containsIgnoringCase("global");
    }

    @Test
    void leakyReluReplacesReluInHiddenLayersOnly() {
        MultiLayerConfiguration fixed = (MultiLayerConfiguration) Fixes.LEAKY_RELU.transform()
                .apply(ExampleConfigs.reluHeAdam().clone());

        for (int i = 0; i < 4; i++) {
            ActivationLReLU a = (ActivationLReLU) ((BaseLayer) layer(fixed, i)).getActivationFn();
            assertThat(a.getAlpha()).isEqualTo(0.01);
        }
        assertThat(((BaseLayer) layer(fixed, 4)).getActivationFn()).isInstanceOf(ActivationSoftmax.class);
    }

    @Test
    void fixesApplyWhenTheFindingsCallForThem() {
        Set<AlertType> none = EnumSet.noneOf(AlertType.class);
        assertThat(Fixes.applicable(ExampleConfigs.deepSigmoid(), Set.of("DEEP_SATURATING"), none))
                .containsExactly(Fixes.RELU_HE, Fixes.BATCH_NORM);
        assertThat(Fixes.applicable(ExampleConfigs.reluHeAdam(), Set.of(), none)).isEmpty();
        assertThat(Fixes.applicable(ExampleConfigs.reluHeAdam(), Set.of(), EnumSet.of(AlertType.EXPLODING)))
                .containsExactly(Fixes.LR_DOWN, Fixes.CLIP);
        assertThat(Fixes.applicable(ExampleConfigs.reluHeAdam(), Set.of(), EnumSet.of(AlertType.DEAD_UNITS)))
                .containsExactly(Fixes.LEAKY_RELU);
        assertThat(Fixes.applicable(ExampleConfigs.reluHeAdam(), Set.of("LEARNING_RATE"), none))
                .containsExactly(Fixes.LR_DOWN);
        // a sigmoid-free net gets no relu-he however much it vanishes
        assertThat(Fixes.applicable(ExampleConfigs.reluHeAdam(), Set.of(), EnumSet.of(AlertType.VANISHING)))
                .doesNotContain(Fixes.RELU_HE);
        assertThat(Fixes.ALL).extracting(Fixes.Fix::id)
                .containsExactly("relu-he", "batchnorm", "lr-x0.1", "clip-global-norm", "leaky-relu");
        assertThat(List.copyOf(Fixes.ALL)).hasSize(5);
    }
}
