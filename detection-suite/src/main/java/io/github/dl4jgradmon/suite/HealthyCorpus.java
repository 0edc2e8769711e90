package io.github.dl4jgradmon.suite;

import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.AdaMax;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

import java.util.ArrayList;
import java.util.List;

/**
 * Healthy corpus, part 2: the typical configurations of DL4J's examples repository
 * ({@code deeplearning4j/deeplearning4j-examples}; each case names the file whose configuration it follows, written
 * here in the same shape at a smaller size, on synthetic data of the same kind) and configurations that exercise one
 * feature each: batch normalization, dropout, L2, every common updater, learning-rate schedules, small and large
 * inits, unnormalized inputs, multi-input and multi-output graphs. Every one trains 1,000 iterations, or
 * 300 or more until its loss has flattened ({@link Convergence}).
 */
final class HealthyCorpus {

    static final int ITERATIONS = 1000;
    /** Iterations before a run may stop on a flat loss: a stretch of training past convergence included. */
    static final int MIN_ITERATIONS = 300;
    /** Wall-clock budget per model (the machine is shared; a run that hits it says so). */
    static final int SECONDS = 120;
    private static final String EXAMPLES = "deeplearning4j-examples: dl4j-examples/src/main/java/org/deeplearning4j/"
            + "examples/";

    private HealthyCorpus() {
    }

    static List<LabeledCase> all() {
        return build().stream().map(c -> c.untilFlat(MIN_ITERATIONS, SECONDS)).toList();
    }

    private static List<LabeledCase> build() {
        List<LabeledCase> out = new ArrayList<>();
        // --- DL4J examples -----------------------------------------------------------------------------------------
        out.add(LabeledCase.healthy("ex-mnist-mlp", "MLN",
                "784-1000-10 ReLU MLP, Xavier, Nesterovs(0.006, 0.9), L2 1e-4, NLL (" + EXAMPLES
                        + "quickstart/modeling/feedforward/classification/MNISTSingleLayer.java); 28x28 images in "
                        + "[0, 1], 10 classes, batch 32",
                ITERATIONS, Chance.classes(10), HealthyCorpus::mnistMlp,
                () -> CorpusData.images(201, 11, 32, 1, 28, 28, 10, true, 0, 1)));
        out.add(LabeledCase.healthy("ex-mnist-2layer-nadam", "MLN",
                "784-500-100-10 ReLU MLP, Xavier, Nadam, L2 7.5e-6 (" + EXAMPLES
                        + "quickstart/modeling/feedforward/classification/MNISTDoubleLayer.java); batch 32",
                ITERATIONS, Chance.classes(10), HealthyCorpus::mnistTwoLayer,
                () -> CorpusData.images(202, 11, 32, 1, 28, 28, 10, true, 0, 1)));
        out.add(LabeledCase.healthy("ex-lenet-mnist", "MLN",
                "LeNet: conv5x5(20, identity)-maxpool-conv5x5(50, identity)-maxpool-dense(500, ReLU)-softmax, "
                        + "Xavier, Adam(1e-3), L2 5e-4 (" + EXAMPLES
                        + "quickstart/modeling/convolution/LeNetMNIST.java); batch 16",
                ITERATIONS, Chance.classes(10), HealthyCorpus::lenetMnist,
                () -> CorpusData.images(203, 11, 16, 1, 28, 28, 10, true, 0, 1)));
        out.add(LabeledCase.healthy("ex-uci-sequence-lstm", "MLN",
                "LSTM(10) + RnnOutputLayer, Xavier, Nadam, ClipElementWiseAbsoluteValue 0.5, label at the last "
                        + "step (" + EXAMPLES + "quickstart/modeling/recurrent/UCISequenceClassification.java); "
                        + "synthetic control charts (the UCI set's generator), 6 classes, 60 steps, batch 30",
                ITERATIONS, Chance.classes(6), HealthyCorpus::uciLstm,
                () -> CorpusData.controlCharts(204, 11, 30, 60)));
        out.add(LabeledCase.healthy("ex-char-lstm", "MLN",
                "2 LSTM(64) + softmax, Xavier, Adam(0.005), L2 1e-4, truncated BPTT 25 (" + EXAMPLES
                        + "advanced/modelling/charmodelling/generatetext/GenerateTxtModel.java, LSTM 200 there); "
                        + "30 characters, sequences of 50 from a 2-successor Markov chain, batch 16",
                ITERATIONS, Chance.perStep(30, 25), HealthyCorpus::charLstm,
                () -> CorpusData.characters(205, 11, 16, 50, 30)));
        out.add(LabeledCase.healthy("ex-mnist-autoencoder", "MLN",
                "784-250-10-250-784 ReLU autoencoder, LeakyReLU output, MSE, Xavier, L2 1e-4 ("
                        + EXAMPLES + "quickstart/modeling/feedforward/unsupervised/MNISTAutoencoder.java); "
                        + "AdaGrad(0.01) where the example has AdaGrad(0.05), which kills ~90% of the first layer's ReLUs on this "
                        + "data (kept as a problem case); MNIST-like sparse 28x28 images in [0, 1] (10 templates + noise), "
                        + "batch 32",
                ITERATIONS, Chance.labelVariance(), () -> autoencoder(new AdaGrad(0.01)),
                () -> CorpusData.images(206, 11, 32, 1, 28, 28, 10, true, 0, 1).stream()
                        .map(d -> new DataSet(d.getFeatures(), d.getFeatures().dup()))
                        .toList()));
        out.add(LabeledCase.healthy("ex-rnn-embedding", "MLN",
                "embedding(10 -> 5, ReLU) + LSTM(7) + RnnOutputLayer(4) (" + EXAMPLES
                        + "quickstart/modeling/recurrent/RNNEmbedding.java, which only computes one score; the "
                        + "embedding as an EmbeddingSequenceLayer, and the RnnOutputLayer given dataFormat(NCW) "
                        + "explicitly: without it fit() fails on M2.1 with a sequence-length mismatch); Adam(1e-2) since the "
                        + "example sets no updater (DL4J's default Sgd(1e-3) barely moves in 1,000 steps); "
                        + "label = previous token mod 4, sequences of 20, batch 32",
                ITERATIONS, Chance.perStep(4, 20), HealthyCorpus::rnnEmbedding,
                () -> CorpusData.tokens(207, 11, 32, 20, 10, 4)));
        out.add(LabeledCase.healthy("ex-captcha-multi-output-cg", "CG",
                "multi-output ComputationGraph: conv-pool trunk, dense, one softmax head per digit slot, "
                        + "RenormalizeL2PerLayer, L2 1e-3, Adam(1e-3), Xavier uniform (" + EXAMPLES
                        + "advanced/modelling/captcharecognition/MultiDigitNumberRecognition.java, 6 heads and "
                        + "60x160 there); 3 slots of 12x12, 5 patterns, batch 16",
                ITERATIONS, Chance.classes(5, 5, 5), HealthyCorpus::captcha,
                () -> CorpusData.slots(208, 11, 16, 12, 3, 5)));
        // --- batch normalization, dropout, L2 ------------------------------------------------------------------
        out.add(LabeledCase.healthy("bn-dense-relu-mlp", "MLN",
                "4 x (Dense(identity) - BatchNormalization - ReLU), He init, Adam(1e-3), no global activation (so "
                        + "the BN layers carry DL4J's default sigmoid in their JSON but do not apply it)",
                ITERATIONS, Chance.classes(4), HealthyCorpus::bnDenseRelu,
                () -> CorpusData.vectors(301, 11, 32, 20, 4)));
        out.add(LabeledCase.healthy("bn-cnn-nesterovs", "MLN",
                "3 x (conv3x3 - BatchNormalization - ReLU) + global average pooling, He init, Nesterovs(0.05, 0.9)",
                ITERATIONS, Chance.classes(4), HealthyCorpus::bnCnn,
                () -> CorpusData.images(302, 11, 16, 3, 16, 16, 4, false, 0, 1)));
        out.add(LabeledCase.healthy("bn-residual-cnn-cg", "CG",
                "residual ComputationGraph: conv-BN-ReLU stem and 2 blocks x + BN(conv(ReLU(BN(conv x)))) of 8 channels, "
                        + "He init, Nesterovs(0.02, 0.9), L2 1e-4; 3x12x12 images, batch 8",
                ITERATIONS, Chance.classes(4), HealthyCorpus::residualCnn,
                () -> CorpusData.images(303, 11, 8, 3, 12, 12, 4, false, 0, 1)));
        out.add(LabeledCase.healthy("dropout-l2-sgd-mlp", "MLN",
                "3 ReLU layers of 128, dropout (retain 0.8) on the outputs of the hidden layers (DL4J applies a layer's "
                        + "dropOut to its input: set on layers 2, 3 and the output layer), L2 1e-4, He init, plain Sgd(0.1)",
                ITERATIONS, Chance.classes(4),
                () -> dense(new int[] {128, 128, 128}, Activation.RELU, WeightInit.RELU, new Sgd(0.1), 0.8, 1e-4,
                        20, 4),
                () -> CorpusData.vectors(304, 11, 32, 20, 4)));
        // --- updaters and schedules ---------------------------------------------------------------------------------
        out.add(LabeledCase.healthy("sgd-sigmoid-mlp", "MLN",
                "2 sigmoid layers of 64, Xavier, plain Sgd(0.5) (sigmoid nets need a larger SGD rate)",
                ITERATIONS, Chance.classes(4),
                () -> dense(new int[] {64, 64}, Activation.SIGMOID, WeightInit.XAVIER, new Sgd(0.5), 0, 0, 20, 4),
                () -> CorpusData.vectors(305, 11, 32, 20, 4)));
        out.add(LabeledCase.healthy("adamax-tanh-mlp", "MLN",
                "3 tanh layers of 64, Xavier, AdaMax(2e-3)",
                ITERATIONS, Chance.classes(4),
                () -> dense(new int[] {64, 64, 64}, Activation.TANH, WeightInit.XAVIER, new AdaMax(2e-3), 0, 0, 20,
                        4),
                () -> CorpusData.vectors(306, 11, 32, 20, 4)));
        out.add(LabeledCase.healthy("rmsprop-relu-mlp", "MLN",
                "3 ReLU layers of 64, He init, RmsProp(1e-3)",
                ITERATIONS, Chance.classes(4),
                () -> dense(new int[] {64, 64, 64}, Activation.RELU, WeightInit.RELU, new RmsProp(1e-3), 0, 0, 20,
                        4),
                () -> CorpusData.vectors(307, 11, 32, 20, 4)));
        out.add(LabeledCase.healthy("adagrad-relu-mlp", "MLN",
                "2 ReLU layers of 64, He init, AdaGrad(0.05)",
                ITERATIONS, Chance.classes(4),
                () -> dense(new int[] {64, 64}, Activation.RELU, WeightInit.RELU, new AdaGrad(0.05), 0, 0, 20, 4),
                () -> CorpusData.vectors(308, 11, 32, 20, 4)));
        out.add(LabeledCase.healthy("nesterovs-step-schedule-mlp", "MLN",
                "3 ReLU layers of 64, He init, Nesterovs with a step schedule (0.05, halved every 250 iterations), "
                        + "momentum 0.9",
                ITERATIONS, Chance.classes(4),
                () -> dense(new int[] {64, 64, 64}, Activation.RELU, WeightInit.RELU,
                        new Nesterovs(new StepSchedule(ScheduleType.ITERATION, 0.05, 0.5, 250), 0.9), 0, 0, 20, 4),
                () -> CorpusData.vectors(309, 11, 32, 20, 4)));
        out.add(LabeledCase.healthy("adam-warmup-decay-mlp", "MLN",
                "3 ReLU layers of 64, He init, Adam with a warm-up (1e-4 for 50 iterations, then 3e-3) and "
                        + "exponential decay (x0.997 per iteration from 200 on)",
                ITERATIONS, Chance.classes(4),
                () -> dense(new int[] {64, 64, 64}, Activation.RELU, WeightInit.RELU, new Adam(warmupDecay()), 0, 0,
                        20, 4),
                () -> CorpusData.vectors(310, 11, 32, 20, 4)));
        out.add(LabeledCase.healthy("sgd-exponential-decay-tanh-mlp", "MLN",
                "2 tanh layers of 64, Xavier, Sgd with exponential decay (0.1 x 0.998^iteration)",
                ITERATIONS, Chance.classes(4),
                () -> dense(new int[] {64, 64}, Activation.TANH, WeightInit.XAVIER,
                        new Sgd(new ExponentialSchedule(ScheduleType.ITERATION, 0.1, 0.998)), 0, 0, 20, 4),
                () -> CorpusData.vectors(311, 11, 32, 20, 4)));
        // --- inits and inputs --------------------------------------------------------------------------------------
        out.add(LabeledCase.healthy("small-init-relu-mlp", "MLN",
                "2 ReLU layers of 64, weights ~ N(0, 0.05) (a third of Xavier's scale), Adam(1e-3)",
                ITERATIONS, Chance.classes(4),
                () -> dense(new int[] {64, 64}, Activation.RELU, new WeightInitDistribution(
                        new NormalDistribution(0, 0.05)), new Adam(1e-3), 0, 0, 20, 4),
                () -> CorpusData.vectors(312, 11, 32, 20, 4)));
        out.add(LabeledCase.healthy("large-init-relu-mlp", "MLN",
                "2 ReLU layers of 64, weights ~ N(0, 0.3) (1.7x He's scale), Adam(1e-3)",
                ITERATIONS, Chance.classes(4),
                () -> dense(new int[] {64, 64}, Activation.RELU, new WeightInitDistribution(
                        new NormalDistribution(0, 0.3)), new Adam(1e-3), 0, 0, 20, 4),
                () -> CorpusData.vectors(313, 11, 32, 20, 4)));
        out.add(LabeledCase.healthy("raw-pixels-adam-mlp", "MLN",
                "unnormalized inputs: 28x28 images with raw pixel values in [0, 255], 784-256-10 ReLU MLP, Xavier, "
                        + "Adam(1e-3)",
                ITERATIONS, Chance.classes(10),
                () -> dense(new int[] {256}, Activation.RELU, WeightInit.XAVIER, new Adam(1e-3), 0, 0, 784, 10),
                () -> CorpusData.images(314, 11, 32, 1, 28, 28, 10, true, 0, 255)));
        out.add(LabeledCase.healthy("mixed-scale-features-adam-mlp", "MLN",
                "unnormalized inputs: 20 features with scales from 0.1 to 100 and offsets up to 50, 2 ReLU "
                        + "layers of 64, Xavier, Adam(1e-3)",
                ITERATIONS, Chance.classes(4),
                () -> dense(new int[] {64, 64}, Activation.RELU, WeightInit.XAVIER, new Adam(1e-3), 0, 0, 20, 4),
                () -> CorpusData.vectors(315, 11, 32, 20, 4, mixedScales(20), mixedOffsets(20))));
        // --- graphs --------------------------------------------------------------------------------------------------
        out.add(LabeledCase.healthy("multi-input-cg", "CG",
                "multi-input ComputationGraph: two inputs (10 and 15 features), a ReLU branch each, merged, "
                        + "a dense layer and a softmax; He init, Adam(1e-3)",
                ITERATIONS, Chance.classes(4), HealthyCorpus::multiInput,
                () -> CorpusData.twoInputs(401, 11, 32, 10, 15, 4)));
        out.add(LabeledCase.healthy("multi-task-cg", "CG",
                "multi-output ComputationGraph: a shared tanh trunk, a softmax head (4 classes, MCXENT) and a "
                        + "regression head (2 targets, MSE); Xavier, RmsProp(1e-3)",
                ITERATIONS, twoTaskChance(), HealthyCorpus::multiTask,
                () -> CorpusData.twoTasks(402, 11, 32, 20, 4, 2)));
        return out;
    }

    // --- example configurations ---------------------------------------------------------------------------------------

    private static Object mnistMlp() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(123)
                .updater(new Nesterovs(0.006, 0.9)).l2(1e-4).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(1000).activation(Activation.RELU)
                        .weightInit(WeightInit.XAVIER).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD).nIn(1000).nOut(10)
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build())
                .build();
        return init(conf);
    }

    private static Object mnistTwoLayer() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(123)
                .activation(Activation.RELU).weightInit(WeightInit.XAVIER).updater(new Nadam()).l2(0.0015 * 0.005)
                .list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(500).build())
                .layer(new DenseLayer.Builder().nIn(500).nOut(100).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD)
                        .activation(Activation.SOFTMAX).nOut(10).build())
                .build();
        return init(conf);
    }

    private static Object lenetMnist() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(123).l2(0.0005)
                .weightInit(WeightInit.XAVIER).updater(new Adam(1e-3)).list()
                .layer(new ConvolutionLayer.Builder(5, 5).nIn(1).stride(1, 1).nOut(20)
                        .activation(Activation.IDENTITY).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(5, 5).stride(1, 1).nOut(50).activation(Activation.IDENTITY)
                        .build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().activation(Activation.RELU).nOut(500).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1))
                .build();
        return init(conf);
    }

    private static Object uciLstm() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(123)
                .weightInit(WeightInit.XAVIER).updater(new Nadam())
                .gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue)
                .gradientNormalizationThreshold(0.5)
                .list()
                .layer(new LSTM.Builder().activation(Activation.TANH).nIn(1).nOut(10).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nIn(10).nOut(6).build())
                .build();
        return init(conf);
    }

    private static Object charLstm() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(12345).l2(0.0001)
                .weightInit(WeightInit.XAVIER).updater(new Adam(0.005)).list()
                .layer(new LSTM.Builder().nIn(30).nOut(64).activation(Activation.TANH).build())
                .layer(new LSTM.Builder().nIn(64).nOut(64).activation(Activation.TANH).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nIn(64).nOut(30).build())
                .backpropType(BackpropType.TruncatedBPTT).tBPTTForwardLength(25).tBPTTBackwardLength(25)
                .build();
        return init(conf);
    }

    static Object autoencoder(IUpdater updater) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(12345)
                .weightInit(WeightInit.XAVIER).updater(updater).activation(Activation.RELU).l2(0.0001)
                .list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(250).build())
                .layer(new DenseLayer.Builder().nIn(250).nOut(10).build())
                .layer(new DenseLayer.Builder().nIn(10).nOut(250).build())
                .layer(new OutputLayer.Builder().nIn(250).nOut(784).activation(Activation.LEAKYRELU)
                        .lossFunction(LossFunctions.LossFunction.MSE).build())
                .build();
        return init(conf);
    }

    private static Object rnnEmbedding() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(12345)
                .activation(Activation.RELU).updater(new Adam(1e-2)).list()
                .layer(new EmbeddingSequenceLayer.Builder().nIn(10).nOut(5).build())
                .layer(new LSTM.Builder().nIn(5).nOut(7).activation(Activation.TANH).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(7).nOut(4)
                        .activation(Activation.SOFTMAX).dataFormat(RNNFormat.NCW).build())
                .build();
        return init(conf);
    }

    private static Object captcha() {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder().seed(123)
                .gradientNormalization(GradientNormalization.RenormalizeL2PerLayer).l2(1e-3)
                .updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER_UNIFORM)
                .graphBuilder()
                .addInputs("trainFeatures")
                .setInputTypes(InputType.convolutional(12, 36, 1))
                .addLayer("cnn1", new ConvolutionLayer.Builder(new int[] {3, 3}, new int[] {1, 1}, new int[] {0, 0})
                        .nIn(1).nOut(16).activation(Activation.RELU).build(), "trainFeatures")
                .addLayer("maxpool1", new SubsamplingLayer.Builder(PoolingType.MAX, new int[] {2, 2},
                        new int[] {2, 2}, new int[] {0, 0}).build(), "cnn1")
                .addLayer("cnn2", new ConvolutionLayer.Builder(new int[] {3, 3}, new int[] {1, 1}, new int[] {0, 0})
                        .nOut(32).activation(Activation.RELU).build(), "maxpool1")
                .addLayer("ffn0", new DenseLayer.Builder().nOut(128).build(), "cnn2")
                .addLayer("ffn1", new DenseLayer.Builder().nOut(128).build(), "ffn0");
        String[] outs = {"out1", "out2", "out3"};
        for (String o : outs) {
            g.addLayer(o, new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD).nOut(5)
                    .activation(Activation.SOFTMAX).build(), "ffn1");
        }
        g.setOutputs(outs);
        return init(g.build());
    }

    // --- feature configurations -----------------------------------------------------------------------------------

    private static Object bnDenseRelu() {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(7)
                .weightInit(WeightInit.RELU).updater(new Adam(1e-3)).list();
        int nIn = 20;
        for (int i = 0; i < 4; i++) {
            list.layer(new DenseLayer.Builder().nIn(nIn).nOut(64).activation(Activation.IDENTITY).build());
            list.layer(new BatchNormalization.Builder().nOut(64).build());
            list.layer(new ActivationLayer.Builder().activation(Activation.RELU).build());
            nIn = 64;
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(64).nOut(4)
                .activation(Activation.SOFTMAX).build());
        return init(list.build());
    }

    private static Object bnCnn() {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(7)
                .weightInit(WeightInit.RELU).updater(new Nesterovs(0.05, 0.9)).convolutionMode(ConvolutionMode.Same)
                .list();
        int[] channels = {16, 32, 32};
        for (int i = 0; i < channels.length; i++) {
            list.layer(new ConvolutionLayer.Builder(3, 3).nOut(channels[i]).activation(Activation.IDENTITY)
                    .stride(i == 0 ? 1 : 2, i == 0 ? 1 : 2).build());
            list.layer(new BatchNormalization.Builder().build());
            list.layer(new ActivationLayer.Builder().activation(Activation.RELU).build());
        }
        list.layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build());
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(4)
                .activation(Activation.SOFTMAX).build());
        list.setInputType(InputType.convolutional(16, 16, 3));
        return init(list.build());
    }

    private static Object residualCnn() {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder().seed(7)
                .weightInit(WeightInit.RELU).updater(new Nesterovs(0.02, 0.9)).l2(1e-4)
                .convolutionMode(ConvolutionMode.Same).graphBuilder()
                .addInputs("in").setInputTypes(InputType.convolutional(12, 12, 3))
                .addLayer("stem", new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.IDENTITY)
                        .build(), "in")
                .addLayer("stem_bn", new BatchNormalization.Builder().build(), "stem")
                .addLayer("stem_relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), "stem_bn");
        String previous = "stem_relu";
        for (int b = 0; b < 2; b++) {
            String p = "block" + b + "_";
            g.addLayer(p + "conv1", new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.IDENTITY)
                            .build(), previous)
                    .addLayer(p + "bn1", new BatchNormalization.Builder().build(), p + "conv1")
                    .addLayer(p + "relu1", new ActivationLayer.Builder().activation(Activation.RELU).build(),
                            p + "bn1")
                    .addLayer(p + "conv2", new ConvolutionLayer.Builder(3, 3).nOut(8)
                            .activation(Activation.IDENTITY).build(), p + "relu1")
                    .addLayer(p + "bn2", new BatchNormalization.Builder().build(), p + "conv2")
                    .addVertex(p + "add", new ElementWiseVertex(ElementWiseVertex.Op.Add), previous, p + "bn2")
                    .addLayer(p + "out", new ActivationLayer.Builder().activation(Activation.RELU).build(),
                            p + "add");
            previous = p + "out";
        }
        g.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), previous)
                .addLayer("output", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(4)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("output");
        return init(g.build());
    }

    private static Object multiInput() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(7)
                .weightInit(WeightInit.RELU).updater(new Adam(1e-3)).graphBuilder()
                .addInputs("a", "b")
                .setInputTypes(InputType.feedForward(10), InputType.feedForward(15))
                .addLayer("a_dense", new DenseLayer.Builder().nOut(32).activation(Activation.RELU).build(), "a")
                .addLayer("b_dense", new DenseLayer.Builder().nOut(32).activation(Activation.RELU).build(), "b")
                .addVertex("merge", new MergeVertex(), "a_dense", "b_dense")
                .addLayer("joint", new DenseLayer.Builder().nOut(32).activation(Activation.RELU).build(), "merge")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(4)
                        .activation(Activation.SOFTMAX).build(), "joint")
                .setOutputs("out")
                .build();
        return init(conf);
    }

    private static Object multiTask() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(7)
                .weightInit(WeightInit.XAVIER).updater(new RmsProp(1e-3)).graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.feedForward(20))
                .addLayer("trunk1", new DenseLayer.Builder().nOut(64).activation(Activation.TANH).build(), "in")
                .addLayer("trunk2", new DenseLayer.Builder().nOut(64).activation(Activation.TANH).build(), "trunk1")
                .addLayer("class", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(4)
                        .activation(Activation.SOFTMAX).build(), "trunk2")
                .addLayer("regression", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2)
                        .activation(Activation.IDENTITY).build(), "trunk2")
                .setOutputs("class", "regression")
                .build();
        return init(conf);
    }

    /** A plain MLP: hidden layers of the given widths, softmax output. */
    static MultiLayerNetwork dense(int[] widths, Activation activation, Object init, IUpdater updater,
                                   double retain, double l2, int nIn, int classes) {
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder().seed(7).updater(updater);
        if (init instanceof WeightInit w) {
            b.weightInit(w);
        } else {
            b.weightInit((IWeightInit) init);
        }
        if (l2 > 0) {
            b.l2(l2);
        }
        NeuralNetConfiguration.ListBuilder list = b.list();
        int in = nIn;
        for (int width : widths) {
            DenseLayer.Builder layer = new DenseLayer.Builder().nIn(in).nOut(width).activation(activation);
            if (retain > 0 && in != nIn) {
                layer.dropOut(retain); // on the previous hidden layer's output, never on the raw inputs
            }
            list.layer(layer.build());
            in = width;
        }
        OutputLayer.Builder output = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(in)
                .nOut(classes).activation(Activation.SOFTMAX);
        if (retain > 0) {
            output.dropOut(retain);
        }
        list.layer(output.build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    private static MapSchedule warmupDecay() {
        MapSchedule.Builder s = new MapSchedule.Builder(ScheduleType.ITERATION).add(0, 1e-4);
        for (int i = 50; i < ITERATIONS + 50; i += 10) {
            s.add(i, i < 200 ? 3e-3 : 3e-3 * Math.pow(0.997, i - 200));
        }
        return s.build();
    }

    private static double[] mixedScales(int n) {
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = Math.pow(10, -1 + 3.0 * i / (n - 1));
        }
        return s;
    }

    private static double[] mixedOffsets(int n) {
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = (i % 3) * 25.0;
        }
        return s;
    }

    private static Chance twoTaskChance() {
        return batches -> {
            double sum = 0;
            double sumSq = 0;
            long n = 0;
            for (Object o : batches) {
                float[] v = ((MultiDataSet) o).getLabels(1).dup().data().asFloat();
                for (float x : v) {
                    sum += x;
                    sumSq += (double) x * x;
                }
                n += v.length;
            }
            double mean = sum / n;
            return Math.log(4) + (sumSq / n - mean * mean);
        };
    }

    private static MultiLayerNetwork init(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static ComputationGraph init(ComputationGraphConfiguration conf) {
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

}
