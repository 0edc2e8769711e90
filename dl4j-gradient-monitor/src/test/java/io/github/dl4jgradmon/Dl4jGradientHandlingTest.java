package io.github.dl4jgradmon;

import io.github.dl4jgradmon.model.GradientHandling;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each layer's snapshot says which of DL4J's own gradient normalization and regularization its configuration applies
 * between the measured gradient and the update.
 */
class Dl4jGradientHandlingTest {

    @Test
    void snapshotNamesEachLayersGradientNormalizationAndRegularization() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.FLOAT).updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.TANH)
                        .gradientNormalization(GradientNormalization.ClipL2PerLayer)
                        .gradientNormalizationThreshold(0.5).l2(1e-4).build())
                .layer(new DenseLayer.Builder().nIn(5).nOut(5).activation(Activation.TANH)
                        .gradientNormalization(GradientNormalization.RenormalizeL2PerLayer)
                        .weightDecay(1e-3).l1Bias(2e-5).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        GradientMonitor monitor = GradientMonitor.builder().build();
        net.addListeners(monitor);
        net.fit(Nets.classification(1, 8, 4, 3));

        GradientSnapshot s = monitor.latest().orElseThrow();
        List<GradientHandling> handling = s.layers().stream().map(LayerGradientStats::dl4jHandling).toList();
        assertThat(handling).containsExactly(
                new GradientHandling("ClipL2PerLayer", 0.5, Map.of("W", List.of("l2=1.0E-4"))),
                new GradientHandling("RenormalizeL2PerLayer", Double.NaN, Map.of(
                        "W", List.of("weightDecay=0.001 (times the learning rate)"),
                        "b", List.of("l1=2.0E-5"))),
                GradientHandling.NONE);
        assertThat(handling.get(0).describe()).isEqualTo("DL4J gradient normalization ClipL2PerLayer (threshold 0.5)"
                + " and regularization W: l2=1.0E-4 apply after the gradient is measured and before the update");
        assertThat(handling.get(2).changesGradient()).isFalse();
    }
}
