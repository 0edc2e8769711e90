package io.github.dl4jgradmon.internal.model;

import io.github.dl4jgradmon.model.ActivationKind;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PReLULayer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.misc.ElementWiseMultiplicationLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9, finding 4: which layer types apply their configured activation to the output they hand on, checked on the
 * real forward pass. Each layer is built with a SIGMOID activation and fed inputs large enough that its pre-activations
 * have many values outside (0, 1); DL4J applied the sigmoid exactly when every output lies in [0, 1]. The adapter's
 * saturation measurement must agree with that (BatchNormalization carries the sigmoid in its configuration but does
 * not apply it).
 */
class ActivationAppliedTest {

    private record Case(String name, Supplier<Layer> layer, InputType type, long[] inputShape, boolean integerInput) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> layers() {
        NormalDistribution big = new NormalDistribution(0, 3);
        return Stream.of(
                new Case("DenseLayer", () -> new DenseLayer.Builder().nOut(8).weightInit(big).build(),
                        InputType.feedForward(6), new long[] {16, 6}, false),
                new Case("BatchNormalization", () -> new BatchNormalization.Builder().build(),
                        InputType.feedForward(6), new long[] {16, 6}, false),
                new Case("ConvolutionLayer", () -> new ConvolutionLayer.Builder(2, 2).nOut(4).weightInit(big).build(),
                        InputType.convolutional(5, 5, 2), new long[] {4, 2, 5, 5}, false),
                new Case("Convolution1DLayer", () -> new Convolution1DLayer.Builder(2).nOut(4).weightInit(big).build(),
                        InputType.recurrent(3, 6), new long[] {4, 3, 6}, false),
                new Case("Deconvolution2D", () -> new Deconvolution2D.Builder(2, 2).nOut(4).weightInit(big).build(),
                        InputType.convolutional(4, 4, 2), new long[] {4, 2, 4, 4}, false),
                new Case("SeparableConvolution2D", () -> new SeparableConvolution2D.Builder(2, 2).nOut(4)
                        .weightInit(big).build(), InputType.convolutional(5, 5, 2), new long[] {4, 2, 5, 5}, false),
                new Case("DepthwiseConvolution2D", () -> new DepthwiseConvolution2D.Builder(2, 2).depthMultiplier(2)
                        .weightInit(big).build(), InputType.convolutional(5, 5, 2), new long[] {4, 2, 5, 5}, false),
                new Case("Convolution3D", () -> new Convolution3D.Builder(2, 2, 2).nOut(3).weightInit(big).build(),
                        InputType.convolutional3D(4, 4, 4, 2), new long[] {2, 2, 4, 4, 4}, false),
                new Case("SimpleRnn", () -> new SimpleRnn.Builder().nOut(8).weightInit(big).build(),
                        InputType.recurrent(3, 5), new long[] {4, 3, 5}, false),
                new Case("LSTM", () -> new LSTM.Builder().nOut(8).weightInit(big).build(),
                        InputType.recurrent(3, 5), new long[] {4, 3, 5}, false),
                new Case("EmbeddingLayer", () -> new EmbeddingLayer.Builder().nIn(10).nOut(8).weightInit(big).build(),
                        null, new long[] {16, 1}, true),
                new Case("EmbeddingSequenceLayer", () -> new EmbeddingSequenceLayer.Builder().nIn(10).nOut(8)
                        .weightInit(big).build(), null, new long[] {4, 1, 5}, true),
                new Case("ElementWiseMultiplicationLayer", () -> new ElementWiseMultiplicationLayer.Builder().nOut(6)
                        .weightInit(big).build(), InputType.feedForward(6), new long[] {16, 6}, false),
                new Case("PReLULayer", () -> new PReLULayer.Builder().inputShape(6).build(), InputType.feedForward(6),
                        new long[] {16, 6}, false)
        ).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void saturationIsMeasuredExactlyOnLayersWhoseForwardPassAppliesTheSigmoid(Case c) {
        ComputationGraphConfiguration.GraphBuilder builder = new NeuralNetConfiguration.Builder().seed(1)
                .activation(Activation.SIGMOID) // every layer's configured activation, as DL4J's global default does
                .graphBuilder().addInputs("in");
        if (c.type() != null) { // embeddings take nIn from their own builder (the vocabulary size)
            builder.setInputTypes(c.type());
        }
        ComputationGraphConfiguration conf = builder.addLayer("layer", c.layer().get(), "in").setOutputs("layer")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        Nd4j.getRandom().setSeed(2);
        INDArray input = c.integerInput()
                ? Nd4j.rand(DataType.FLOAT, c.inputShape()).muli(10).castTo(DataType.INT32).castTo(DataType.FLOAT)
                : Nd4j.randn(DataType.FLOAT, c.inputShape()).muli(5);
        Map<String, INDArray> acts = graph.feedForward(new INDArray[] {input}, true);
        INDArray out = acts.get("layer");
        boolean sigmoidApplied = out.minNumber().doubleValue() >= 0 && out.maxNumber().doubleValue() <= 1;

        ActivationKind measured = ModelAdapter.activationOf(graph.getVertex("layer"));
        boolean lstmFamily = c.name().equals("LSTM"); // its output mixes gates: measured as no single activation
        assertThat(measured == ActivationKind.SIGMOID)
                .as("%s: sigmoid applied by DL4J = %s (output range [%s, %s])", c.name(), sigmoidApplied,
                        out.minNumber(), out.maxNumber())
                .isEqualTo(sigmoidApplied && !lstmFamily);
    }
}
