package io.github.dl4jgradmon;

import io.github.dl4jgradmon.stats.BufferPath;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LayerCoverageTest {

    @AfterEach
    void defaultPath() {
        TestPaths.reset();
    }

    private static final double LR = 0.1;

    private static NeuralNetConfiguration.ListBuilder base() {
        return new NeuralNetConfiguration.Builder().seed(3).updater(new Sgd(LR)).weightInit(WeightInit.XAVIER).list();
    }

    /** Fits twice, checks the second iteration against the SGD oracle, returns its snapshot. */
    private static GradientSnapshot fitAndCheck(MultiLayerNetwork net, DataSet data) {
        GradientMonitor monitor = GradientMonitor.builder().build();
        net.addListeners(monitor);
        net.fit(data);
        Map<String, INDArray> before = Nets.paramCopies(net.paramTable());
        net.fit(data);
        Map<String, INDArray> after = Nets.paramCopies(net.paramTable());
        GradientSnapshot s = monitor.latest().orElseThrow();
        SgdOracle.checkSnapshot(s, before, after, SgdOracle::mlnKey, LR, 0.1);
        assertThat(monitor.faultCount()).isZero();
        TestPaths.check(monitor);
        return s;
    }

    @ParameterizedTest
    @EnumSource(BufferPath.class)
    void convolutionBatchNormAndParamlessLayers(BufferPath path) {
        TestPaths.use(path);
        MultiLayerConfiguration conf = base()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(2, 2).stride(2, 2).build())
                .layer(new DropoutLayer.Builder(0.9).build())
                .layer(new DenseLayer.Builder().nOut(8).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(8, 8, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Nd4j.getRandom().setSeed(1);
        DataSet data = new DataSet(Nd4j.rand(DataType.FLOAT, 6, 1, 8, 8),
                Nets.classification(1, 6, 3, 3).getLabels());
        GradientSnapshot s = fitAndCheck(net, data);

        assertThat(s.layers()).extracting(LayerGradientStats::type)
                .containsExactly("ConvolutionLayer", "BatchNormalization", "DenseLayer", "OutputLayer");
        assertThat(s.layers()).extracting(LayerGradientStats::index).containsExactly(0, 1, 5, 6);
        assertThat(s.layer(s.layers().get(1).name()).orElseThrow().params())
                .as("running mean/variance are not gradients").containsOnlyKeys("gamma", "beta");
    }

    @ParameterizedTest
    @EnumSource(BufferPath.class)
    void recurrentLayersReportInputRecurrentAndBiasParams(BufferPath path) {
        TestPaths.use(path);
        MultiLayerConfiguration conf = base()
                .layer(new LSTM.Builder().nIn(3).nOut(6).activation(Activation.TANH).build())
                .layer(new SimpleRnn.Builder().nIn(6).nOut(5).activation(Activation.TANH).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        GradientSnapshot s = fitAndCheck(net, sequences(4, 3, 2, 7));

        assertThat(s.layers()).extracting(LayerGradientStats::type).containsExactly("LSTM", "SimpleRnn",
                "RnnOutputLayer");
        assertThat(s.layers().get(0).params()).containsOnlyKeys("W", "RW", "b");
        assertThat(s.layers().get(1).params()).containsOnlyKeys("W", "RW", "b");
    }

    @ParameterizedTest
    @EnumSource(BufferPath.class)
    void embeddingRowsOfUnusedTokensHaveExactlyZeroGradient(BufferPath path) {
        TestPaths.use(path);
        MultiLayerConfiguration conf = base()
                .layer(new EmbeddingLayer.Builder().nIn(50).nOut(4).activation(Activation.IDENTITY).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray tokens = Nd4j.create(DataType.FLOAT, 5, 1);
        for (int i = 0; i < 5; i++) {
            tokens.putScalar(i, 0, i); // tokens 0..4 of 50 are used
        }
        GradientSnapshot s = fitAndCheck(net, new DataSet(tokens, Nets.classification(2, 5, 3, 3).getLabels()));

        assertThat(s.layers().get(0).type()).isEqualTo("EmbeddingLayer");
        assertThat(s.layers().get(0).params().get("W").zeroFraction()).isCloseTo(45.0 / 50.0,
                within(1e-9));
    }

    @ParameterizedTest
    @EnumSource(BufferPath.class)
    void frozenLayersAreLeftOut(BufferPath path) {
        TestPaths.use(path);
        MultiLayerConfiguration conf = base()
                .layer(new FrozenLayer(new DenseLayer.Builder().nIn(6).nOut(5).activation(Activation.TANH).build()))
                .layer(new DenseLayer.Builder().nIn(5).nOut(5).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        GradientSnapshot s = fitAndCheck(net, Nets.classification(4, 8, 6, 2));

        assertThat(s.layers()).extracting(LayerGradientStats::index).containsExactly(1, 2);
    }

    @ParameterizedTest
    @EnumSource(BufferPath.class)
    void truncatedBpttReportsEverySegmentAsAnIteration(BufferPath path) {
        TestPaths.use(path);
        MultiLayerConfiguration conf = base()
                .layer(new LSTM.Builder().nIn(3).nOut(4).activation(Activation.TANH).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .backpropType(BackpropType.TruncatedBPTT).tBPTTLength(5)
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        GradientMonitor monitor = GradientMonitor.builder().build();
        net.addListeners(monitor);
        net.fit(sequences(4, 3, 2, 20));

        assertThat(monitor.history()).extracting(GradientSnapshot::iteration).containsExactly(0L, 1L, 2L, 3L);
        assertThat(monitor.history()).allSatisfy(s -> {
            assertThat(s.globalGradientNorm()).isPositive().isFinite();
            assertThat(s.layers().get(0).updateNorm()).isPositive();
        });
    }

    static DataSet sequences(int batch, int nIn, int nOut, int length) {
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, nIn, length).subi(0.5);
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, nOut, length);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < length; t++) {
                y.putScalar(new int[] {b, (b + t) % nOut, t}, 1.0);
            }
        }
        return new DataSet(x, y);
    }
}
