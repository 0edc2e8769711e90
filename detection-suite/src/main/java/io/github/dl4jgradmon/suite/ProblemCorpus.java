package io.github.dl4jgradmon.suite;

import io.github.dl4jgradmon.alert.AlertType;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.deeplearning4j.zoo.model.AlexNet;
import org.deeplearning4j.zoo.model.SqueezeNet;
import org.deeplearning4j.zoo.model.TinyYOLO;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;

/**
 * Problem cases beyond the fast set, in the style of AutoTrainer's benchmark (Zhang et al., ICSE 2021: dying ReLU,
 * exploding and vanishing gradients, unnormalized inputs, slow convergence) plus the dead and stalled networks of
 * issue 9. Each has one label; any other type raised on it counts against that type's precision.
 */
final class ProblemCorpus {

    /**
     * The type name for "every trainable gradient is exactly zero". A name, not a constant: the detectors under test
     * may not have the type yet, and the case then counts as missed.
     */
    static final String NO_GRADIENT = "NO_GRADIENT";
    /** The type name for "every layer tiny while the loss sits at its chance level". */
    static final String STALLED = "STALLED";

    private ProblemCorpus() {
    }

    static List<LabeledCase> all() {
        return List.of(
                LabeledCase.problem("zoo-squeezenet-stuck", "CG",
                        "zoo SqueezeNet (its default ReLU init) at 3x64x64, 4 classes, batch 8, Adam(1e-3), on the "
                                + "images the other zoo CNNs learn: its loss stays at chance (ln 4) for 200 "
                                + "iterations (also at Adam 1e-2 and 1e-4, and with Xavier init) while its first "
                                + "layers get 1e-10 to 1e-14 of the gradient of conv10: the early layers do not "
                                + "learn, AutoTrainer's vanishing gradient",
                        AlertType.VANISHING, 0, 120,
                        () -> SqueezeNet.builder().numClasses(4).inputShape(new int[] {3, 64, 64})
                                .updater(new Adam(1e-3)).build().init(),
                        () -> CorpusData.images(105, 11, 8, 3, 64, 64, 4, false, 0, 1)),
                LabeledCase.problem("zoo-alexnet-adam-diverges", "MLN",
                        "zoo AlexNet at 3x64x64, 4 classes, batch 4, Adam(1e-3) (its L2 5e-4 kept), on synthetic "
                                + "images of one bright rectangle per class: the loss falls from 17 to about 0.4, "
                                + "then climbs back to 7-18 with the raw gradient at 12-49x its early scale: a "
                                + "divergence",
                        AlertType.EXPLODING, 0, 100,
                        () -> AlexNet.builder().numClasses(4).inputShape(new int[] {3, 64, 64})
                                .updater(new Adam(1e-3)).build().init(),
                        () -> CorpusData.images(102, 11, 4, 3, 64, 64, 4, false, 0, 1)),
                LabeledCase.problem("zoo-alexnet-late-divergence", "MLN",
                        "zoo AlexNet at 3x64x64, 4 classes, batch 4, Nesterovs(3e-3, 0.9) (its L2 5e-4 kept), "
                                + "trained on the first ten batches of zoo-alexnet-adam-diverges' images: its loss sits "
                                + "near 6 for 100 iterations, falls to about 0.2, and at iteration 289 of the corpus "
                                + "run jumped from an average of 0.28 to 21.7 with the raw gradient at 58-73x its "
                                + "early scale: a divergence after convergence, the explosion at hour six. Built "
                                + "into the model (onset 0), so the latency counts the iterations before it",
                        AlertType.EXPLODING, 0, 400,
                        () -> AlexNet.builder().numClasses(4).inputShape(new int[] {3, 64, 64})
                                .updater(new Nesterovs(3e-3, 0.9)).build().init(),
                        () -> CorpusData.images(102, 11, 4, 3, 64, 64, 4, false, 0, 1).subList(0, 10)),
                LabeledCase.problem("zoo-tinyyolo-default-diverges", "CG",
                        "zoo TinyYOLO at 3x64x64 (a 2x2 grid), 2 classes, batch 4, its default Adam(1e-3), on the "
                                + "detection images of zoo-tinyyolo: its loss climbs from 95 to 10^5-10^6 within 100 "
                                + "iterations (scores up to 2.2e6) before it comes back: a divergence",
                        AlertType.EXPLODING, 0, 100,
                        () -> TinyYOLO.builder().numClasses(2).inputShape(new int[] {3, 64, 64}).build().init(),
                        () -> CorpusData.detection(107, 11, 4, 3, 64, 64, 2, 2)),
                LabeledCase.problem("dying-deep-narrow-relu-mlp", "MLN",
                        "AutoTrainer-style dying ReLU: 16 ReLU layers 3 units wide, He init, Adam(1e-3); a deep "
                                + "narrow ReLU net is born dead with high probability (Lu et al. 2019): a layer "
                                + "outputs zero for every input, so no weight learns (only the biases above that "
                                + "layer get a gradient): a network with no gradient, not a few dead units",
                        NO_GRADIENT, 0, 200,
                        () -> mlp(16, 3, Activation.RELU, WeightInit.RELU.getWeightInitFunction(), new Adam(1e-3), 0,
                                true, 20),
                        () -> CorpusData.vectors(501, 10, 32, 20, 4)),
                LabeledCase.problem("negative-features-kill-relu-mlp", "MLN",
                        "data that kills ReLUs: every feature is negative (-|N(0,1)| - 0.5, e.g. inverted pixel "
                                + "values) and the first layer's weights are non-negative (U(0, 0.1)), so every "
                                + "first-layer pre-activation is below zero for every example: the layer is dead",
                        AlertType.DEAD_UNITS, 0, 200,
                        ProblemCorpus::negativeFeatureNet,
                        () -> CorpusData.vectors(502, 10, 32, 20, 4, new double[] {0.0}, new double[] {0})
                                .stream().map(ProblemCorpus::allNegative).toList()),
                LabeledCase.problem("linear-normal-init-high-lr-mlp", "MLN",
                        "AutoTrainer-style explosion: 4 linear (identity) layers of 32 with weights ~ N(0, 1) "
                                + "(~5.7x Xavier per layer) and Sgd(0.05): the output scale is ~1,000x the input's "
                                + "and every step overshoots",
                        AlertType.EXPLODING, 0, 100,
                        () -> mlp(4, 32, Activation.IDENTITY, new WeightInitDistribution(new NormalDistribution(0, 1)),
                                new Sgd(0.05), 0, true, 20),
                        () -> CorpusData.vectors(503, 10, 32, 20, 4)),
                LabeledCase.problem("unnormalized-inputs-sgd-mlp", "MLN",
                        "AutoTrainer-style unnormalized inputs: features with scales up to 1,000 and offsets up to "
                                + "500, 2 ReLU layers of 64, Xavier, plain Sgd(0.01): the first layer's gradient "
                                + "carries the input scale and the steps overshoot",
                        AlertType.EXPLODING, 0, 100,
                        () -> mlp(2, 64, Activation.RELU, WeightInit.XAVIER.getWeightInitFunction(), new Sgd(0.01),
                                0, true, 20),
                        () -> CorpusData.vectors(504, 10, 32, 20, 4, scales(20), offsets(20))),
                LabeledCase.problem("all-zero-gradients-mlp", "MLN",
                        "a dead network: 3 ReLU layers with biasInit(-100) and an output layer without bias: no "
                                + "unit ever fires, so every trainable gradient is exactly zero from the first step",
                        NO_GRADIENT, 0, 60,
                        () -> mlp(3, 32, Activation.RELU, WeightInit.RELU.getWeightInitFunction(), new Adam(1e-3),
                                -100, false, 20),
                        () -> CorpusData.vectors(505, 10, 32, 20, 4)),
                LabeledCase.problem("dying-relu-autoencoder-dense-inputs", "MLN",
                        "the MNISTAutoencoder example's configuration (784-250-10-250-784 ReLU, AdaGrad(0.05), L2 "
                                + "1e-4) on dense inputs (sigmoid of a 10-dimensional code, mean 0.5 per column, where "
                                + "MNIST's is about 0.13): the first AdaGrad steps overshoot and ~99% of the first "
                                + "layer's units die; the loss stays at its chance level (found by the corpus run)",
                        AlertType.DEAD_UNITS, 0, 150,
                        () -> HealthyCorpus.autoencoder(new AdaGrad(0.05)),
                        () -> CorpusData.lowRank(206, 10, 32, 784, 10)),
                LabeledCase.problem("vanishing-deep-sigmoid-minibatches-mlp", "MLN",
                        "12 sigmoid layers of 32, weights ~ N(0, 0.05), Sgd(0.1), on 10 learnable minibatches: the "
                                + "hidden layers' gradients collapse to ~1e-14 while the output layer keeps a "
                                + "minibatch-noise gradient (~0.3) and the loss sits at ln 4: vanishing, not a stall "
                                + "(not every layer is tiny)",
                        AlertType.VANISHING, 0, 300,
                        () -> mlp(12, 32, Activation.SIGMOID, new WeightInitDistribution(
                                new NormalDistribution(0, 0.05)), new Sgd(0.1), 0, true, 20),
                        () -> CorpusData.vectors(507, 10, 32, 20, 4)),
                LabeledCase.problem("stalled-deep-sigmoid-fixed-batch-mlp", "MLN",
                        "a stalled run (issue 9, finding 5): 12 sigmoid layers of 16, weights ~ N(0, 0.05), "
                                + "Sgd(0.1), one fixed batch of 64 examples with balanced labels that a healthy net "
                                + "of this size would memorize: every gradient collapses (the output's too, once it "
                                + "has learnt the class prior) while the loss stays at ln 4",
                        STALLED, 0, 150,
                        () -> mlp(12, 16, Activation.SIGMOID, new WeightInitDistribution(
                                new NormalDistribution(0, 0.05)), new Sgd(0.1), 0, true, 10),
                        () -> List.of(CorpusData.randomLabels(508, 64, 10, 4))));
    }

    private static Object negativeFeatureNet() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(7)
                .updater(new Adam(1e-3)).weightInit(WeightInit.RELU).list()
                .layer(new DenseLayer.Builder().nIn(20).nOut(32).activation(Activation.RELU)
                        .weightInit(new WeightInitDistribution(new UniformDistribution(0, 0.1))).build())
                .layer(new DenseLayer.Builder().nIn(32).nOut(32).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(32).nOut(4)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    /** Features -|N(0,1)| - 0.5 with the labels kept: every value negative. */
    private static DataSet allNegative(DataSet d) {
        DataSet out = d.copy();
        INDArray x = out.getFeatures();
        Transforms.abs(x, false).negi().subi(0.5);
        return out;
    }

    static MultiLayerNetwork mlp(int hidden, int width, Activation activation, IWeightInit init, IUpdater updater,
                                 double biasInit, boolean outputBias, int nIn) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(7).updater(updater)
                .weightInit(init).biasInit(biasInit).list();
        int in = nIn;
        for (int i = 0; i < hidden; i++) {
            list.layer(new DenseLayer.Builder().nIn(in).nOut(width).activation(activation).build());
            in = width;
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(in).nOut(4)
                .activation(Activation.SOFTMAX).biasInit(0).hasBias(outputBias).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    private static double[] scales(int n) {
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = Math.pow(10, 3.0 * i / (n - 1));
        }
        return s;
    }

    private static double[] offsets(int n) {
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = (i % 3) * 250.0;
        }
        return s;
    }
}
