package io.github.dl4jgradmon.suite;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.cli.SyntheticData;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;

/**
 * The fast labeled set (the one CI runs): small DL4J models with a known gradient outcome, each problem with a
 * healthy twin, trained briefly. The full corpus ({@link Corpus}) adds converged healthy models of every kind and
 * more problem cases. Shared by the suite's tests ({@code detection-suite/src/test}: {@code LabeledCasesTest}) and
 * the {@code DetectionSuiteReport} of the benchmarks module, so both judge the same cases.
 *
 * <pre>{@code
 * for (LabeledCase c : LabeledCases.all()) {
 *     CaseResult r = CaseRunner.run(c);
 *     System.out.println(c.name() + " labeled " + c.label() + " raised " + r.raisedTypes());
 * }
 * }</pre>
 *
 * <p>Data is synthetic and seeded (Gaussian features, labels from a fixed random linear "teacher"), so every run of a
 * case sees the same numbers.
 */
public final class LabeledCases {

    static final int N_IN = 20;
    static final int CLASSES = 4;
    static final int BATCH = 32;
    static final int WIDTH = 32;
    static final int SEQUENCE_BATCH = 16;
    static final int RNN_IN = 3;

    private LabeledCases() {
    }

    /** Every case, problems first, then the healthy twins. */
    public static List<LabeledCase> all() {
        List<LabeledCase> out = new ArrayList<>();
        // --- vanishing -------------------------------------------------------------------------------------------
        out.add(LabeledCase.problem("vanishing-sigmoid-mlp", "MLN",
                "10 sigmoid hidden layers, Xavier, SGD(0.1): sigmoid' <= 0.25 shrinks the gradient at every layer",
                AlertType.VANISHING, 0, 150,
                () -> mlp(10, Activation.SIGMOID, WeightInit.XAVIER.getWeightInitFunction(), new Sgd(0.1), 0),
                () -> classification(1, 10)));
        out.add(LabeledCase.problem("vanishing-tanh-cg", "CG",
                "12 tanh layers as a ComputationGraph, weights ~ N(0, 0.05) (under a third of Xavier's scale), "
                        + "SGD(0.1): each layer scales the backpropagated gradient by ~0.3",
                AlertType.VANISHING, 0, 150,
                () -> chainGraph(12, Activation.TANH, new WeightInitDistribution(new NormalDistribution(0, 0.05)),
                        new Sgd(0.1), false),
                () -> classification(2, 10)));
        // --- exploding -------------------------------------------------------------------------------------------
        out.add(LabeledCase.problem("exploding-init-relu-mlp", "MLN",
                "8 ReLU layers with weights ~ N(0, 5): activations and gradients grow ~28x per layer",
                AlertType.EXPLODING, 0, 100,
                () -> mlp(8, Activation.RELU, new WeightInitDistribution(new NormalDistribution(0, 5)),
                        new Sgd(0.01), 0),
                () -> classification(3, 10)));
        out.add(LabeledCase.problem("exploding-sgd-lr-mlp", "MLN",
                "4 ReLU layers, He init, SGD(5): each step overshoots and the weights grow",
                AlertType.EXPLODING, 0, 100,
                () -> mlp(4, Activation.RELU, WeightInit.RELU.getWeightInitFunction(), new Sgd(5), 0),
                () -> classification(4, 10)));
        out.add(LabeledCase.problem("exploding-adam-lr-cg", "CG",
                "6 ReLU layers as a ComputationGraph, He init, Adam(1): unit-size steps on every weight; the "
                        + "blow-up then kills the ReLU units, so dead units and a vanished first layer follow",
                AlertType.EXPLODING, 0, 100,
                () -> chainGraph(6, Activation.RELU, WeightInit.RELU.getWeightInitFunction(), new Adam(1), false),
                () -> classification(5, 10)));
        out.add(LabeledCase.problem("exploding-rnn-mlp", "MLN",
                "the samples module's ExplodingGradientsSample net: ReLU SimpleRnn over 40 steps, recurrent weights "
                        + "~ N(0, 0.15), plain SGD(0.03), MSE on running sums; the recurrent weights grow, backprop "
                        + "through time multiplies and the loss rises ~2x per step from iteration 3 (its first NaN "
                        + "comes at iteration 30; the run stops at 24, the alert must come before)",
                AlertType.EXPLODING, 0, 24,
                () -> reluRnnRegression(new Sgd(0.03)),
                () -> runningSums(7, 24, 40)));
        // --- saturation ------------------------------------------------------------------------------------------
        out.add(LabeledCase.problem("saturation-sigmoid-init-mlp", "MLN",
                "3 sigmoid layers with weights ~ N(0, 3): most pre-activations land beyond +-5, where the sigmoid is "
                        + "flat; the gradient through the saturated units all but vanishes",
                AlertType.SATURATION, 0, 60,
                () -> mlp(3, Activation.SIGMOID, new WeightInitDistribution(new NormalDistribution(0, 3)),
                        new Sgd(0.1), 0),
                () -> classification(9, 10)));
        // --- non-finite ------------------------------------------------------------------------------------------
        out.add(LabeledCase.problem("nonfinite-nan-batch-mlp", "MLN",
                "healthy ReLU/He/Adam MLP; minibatch 40 holds one NaN feature",
                AlertType.NON_FINITE, 40, 60,
                () -> mlp(4, Activation.RELU, WeightInit.RELU.getWeightInitFunction(), new Adam(1e-3), 0),
                () -> withNan(classification(7, 60), 40)));
        out.add(LabeledCase.problem("nonfinite-nan-batch-cg", "CG",
                "healthy residual ComputationGraph; minibatch 30 holds one NaN feature",
                AlertType.NON_FINITE, 30, 50,
                () -> chainGraph(6, Activation.RELU, WeightInit.RELU.getWeightInitFunction(), new Adam(1e-3), true),
                () -> withNan(classification(8, 50), 30)));
        out.add(LabeledCase.problem("nonfinite-lr-overflow-mlp", "MLN",
                "4 ReLU layers, SGD(1e4): the weights overflow float32 within a few steps",
                AlertType.NON_FINITE, 0, 60,
                () -> mlp(4, Activation.RELU, WeightInit.RELU.getWeightInitFunction(), new Sgd(1e4), 0),
                () -> classification(9, 10)));
        // --- dead units ------------------------------------------------------------------------------------------
        out.add(LabeledCase.problem("dead-units-killed-mlp", "MLN",
                "2 ReLU layers, He init, Adam(1e-3); 27 of the 32 units of layer0 killed after init (bias -10): they "
                        + "never fire again, the 5 left and the layers above keep learning, but slowly (loss ~1.4 -> "
                        + "~0.95 in 300 iterations where its healthy twin reaches ~0.3)",
                AlertType.DEAD_UNITS, 0, 300,
                () -> withDeadUnits(mlp(2, Activation.RELU, WeightInit.RELU.getWeightInitFunction(), new Adam(1e-3),
                        0), "0", 27),
                () -> classification(13, 10)));
        out.add(LabeledCase.problem("dead-units-killed-cg", "CG",
                "2 ReLU layers as a ComputationGraph, He init, Adam(1e-3); 27 of the 32 units of dense0 killed after "
                        + "init (bias -10); the rest learns slowly (loss ~1.6 -> ~1.0 in 300 iterations where its "
                        + "healthy twin goes from ~2.7 to ~0.4)",
                AlertType.DEAD_UNITS, 0, 300,
                () -> withDeadUnits(chainGraph(2, Activation.RELU, WeightInit.RELU.getWeightInitFunction(),
                        new Adam(1e-3), false), "dense0", 27),
                () -> classification(14, 10)));
        // --- no gradient -----------------------------------------------------------------------------------------
        out.add(LabeledCase.problem("dead-relu-bias-mlp", "MLN",
                "4 ReLU layers, He init, biasInit(-5): pre-activations are negative for every example, every hidden "
                        + "layer is silent and only the output layer's bias can learn: nothing learns",
                AlertType.NO_GRADIENT, 0, 100,
                () -> mlp(4, Activation.RELU, WeightInit.RELU.getWeightInitFunction(), new Adam(1e-3), -5),
                () -> classification(10, 10)));
        out.add(LabeledCase.problem("dead-relu-lr-cg", "CG",
                "4 ReLU layers as a ComputationGraph, He init, Adam(0.3): the first large steps push every hidden "
                        + "unit to negative pre-activations for good (all hidden layers silent by iteration ~10), "
                        + "after which nothing learns",
                AlertType.NO_GRADIENT, 0, 150,
                () -> chainGraph(4, Activation.RELU, WeightInit.RELU.getWeightInitFunction(), new Adam(0.3), false),
                () -> classification(11, 10)));
        // --- healthy twins ---------------------------------------------------------------------------------------
        out.add(LabeledCase.healthy("healthy-relu-he-adam-mlp", "MLN",
                "twin of vanishing-sigmoid-mlp and dead-relu-bias-mlp: 10 ReLU layers, He init, Adam(1e-3)",
                150, Chance.classes(CLASSES),
                () -> mlp(10, Activation.RELU, WeightInit.RELU.getWeightInitFunction(), new Adam(1e-3), 0),
                () -> classification(1, 10)));
        out.add(LabeledCase.healthy("healthy-shallow-sigmoid-mlp", "MLN",
                "twin of vanishing-sigmoid-mlp: 2 sigmoid layers, Xavier, SGD(0.1)",
                150, Chance.classes(CLASSES),
                () -> mlp(2, Activation.SIGMOID, WeightInit.XAVIER.getWeightInitFunction(), new Sgd(0.1), 0),
                () -> classification(1, 10)));
        out.add(LabeledCase.healthy("healthy-tanh-xavier-cg", "CG",
                "twin of vanishing-tanh-cg: the same 12 tanh layers with Xavier init, SGD(0.1); tanh'(0) = 1 and "
                        + "Xavier keeps the variance, so the gradient does not shrink with depth",
                150, Chance.classes(CLASSES),
                () -> chainGraph(12, Activation.TANH, WeightInit.XAVIER.getWeightInitFunction(), new Sgd(0.1), false),
                () -> classification(2, 10)));
        out.add(LabeledCase.healthy("healthy-residual-tanh-cg", "CG",
                "12 tanh layers, Xavier, with identity skip connections (x + f(x)), Adam(1e-3)",
                150, Chance.classes(CLASSES),
                () -> chainGraph(12, Activation.TANH, WeightInit.XAVIER.getWeightInitFunction(), new Adam(1e-3), true),
                () -> classification(2, 10)));
        out.add(LabeledCase.healthy("healthy-relu-cg", "CG",
                "twin of exploding-adam-lr-cg and dead-relu-lr-cg: 6 ReLU layers, He init, Adam(1e-3)",
                150, Chance.classes(CLASSES),
                () -> chainGraph(6, Activation.RELU, WeightInit.RELU.getWeightInitFunction(), new Adam(1e-3), false),
                () -> classification(5, 10)));
        out.add(LabeledCase.healthy("healthy-lstm-mlp", "MLN",
                "a recurrent classifier: LSTM over 30-step sequences (label from the running mean), Xavier, Adam(5e-3)",
                60, Chance.perStep(CLASSES, 30),
                () -> rnn(true, new Adam(5e-3)),
                () -> sequences(6, 6, 30)));
        out.add(LabeledCase.healthy("healthy-relu-rnn-mlp", "MLN",
                "twin of exploding-rnn-mlp: the same ReLU SimpleRnn and sequences (the same first 24 minibatches) "
                        + "trained with Adam(3e-3) instead of plain SGD(0.03)",
                200, Chance.NONE,
                () -> reluRnnRegression(new Adam(3e-3)),
                () -> runningSums(7, 200, 40)));
        out.add(LabeledCase.healthy("healthy-relu-2layer-mlp", "MLN",
                "twin of dead-units-killed-mlp: the same net and data with every unit alive",
                300, Chance.classes(CLASSES),
                () -> mlp(2, Activation.RELU, WeightInit.RELU.getWeightInitFunction(), new Adam(1e-3), 0),
                () -> classification(13, 10)));
        out.add(LabeledCase.healthy("healthy-relu-2layer-cg", "CG",
                "twin of dead-units-killed-cg: the same graph and data with every unit alive",
                300, Chance.classes(CLASSES),
                () -> chainGraph(2, Activation.RELU, WeightInit.RELU.getWeightInitFunction(), new Adam(1e-3), false),
                () -> classification(14, 10)));
        out.add(LabeledCase.healthy("healthy-converged-mlp", "MLN",
                "2 ReLU layers, Adam(1e-2), 4 minibatches seen 75 times each: trained until the gradients are small",
                300, Chance.classes(CLASSES),
                () -> mlp(2, Activation.RELU, WeightInit.RELU.getWeightInitFunction(), new Adam(1e-2), 0),
                () -> classification(12, 4)));
        return List.copyOf(out);
    }

    /** The case with this name. */
    public static LabeledCase byName(String name) {
        return all().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no labeled case named '" + name + "'"));
    }

    // --- models ------------------------------------------------------------------------------------------------------

    public static MultiLayerNetwork mlp(int hidden, Activation activation, IWeightInit init, IUpdater updater,
                                 double biasInit) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(7).updater(updater).weightInit(init).biasInit(biasInit).list();
        int nIn = N_IN;
        for (int i = 0; i < hidden; i++) {
            list.layer(new DenseLayer.Builder().nIn(nIn).nOut(WIDTH).activation(activation).build());
            nIn = WIDTH;
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(WIDTH).nOut(CLASSES)
                .activation(Activation.SOFTMAX).biasInit(0).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    /** A chain of {@code hidden} dense layers as a ComputationGraph; with {@code residual}, x + f(x) from layer 1 on. */
    public static ComputationGraph chainGraph(int hidden, Activation activation, IWeightInit init, IUpdater updater,
                                       boolean residual) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(7).updater(updater).weightInit(init).graphBuilder()
                .addInputs("in").setInputTypes(InputType.feedForward(N_IN));
        String previous = "in";
        for (int i = 0; i < hidden; i++) {
            String name = "dense" + i;
            g.addLayer(name, new DenseLayer.Builder().nOut(WIDTH).activation(activation).build(), previous);
            if (residual && i > 0) {
                String add = "add" + i;
                g.addVertex(add, new ElementWiseVertex(ElementWiseVertex.Op.Add), previous, name);
                previous = add;
            } else {
                previous = name;
            }
        }
        g.addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                .activation(Activation.SOFTMAX).build(), previous).setOutputs("out");
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return net;
    }

    /** One recurrent layer (LSTM or SimpleRnn, 32 units) and a per-step softmax output. */
    public static MultiLayerNetwork rnn(boolean lstm, IUpdater updater) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(7).updater(updater).weightInit(WeightInit.XAVIER).list();
        list.layer(lstm
                ? new LSTM.Builder().nIn(N_IN).nOut(WIDTH).activation(Activation.TANH).build()
                : new SimpleRnn.Builder().nIn(N_IN).nOut(WIDTH).activation(Activation.TANH).build());
        list.layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(WIDTH).nOut(CLASSES)
                .activation(Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    /**
     * The samples module's exploding RNN (ExplodingGradientsSample): a ReLU SimpleRnn of 32 units over 3 inputs with
     * recurrent weights ~ N(0, 0.15) and Xavier input weights, a per-step identity/MSE output, plain SGD. ReLU does not
     * bound the recurrent state, so once the recurrent weights have grown past a spectral radius of 1, backprop
     * through time multiplies the gradient at every step.
     */
    public static MultiLayerNetwork reluRnnRegression(IUpdater updater) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(12).updater(updater).weightInit(WeightInit.XAVIER).list();
        list.layer(new SimpleRnn.Builder().nIn(RNN_IN).nOut(WIDTH).activation(Activation.RELU)
                .weightInitRecurrent(new NormalDistribution(0, 0.15)).build());
        list.layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(WIDTH).nOut(1)
                .activation(Activation.IDENTITY).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    /**
     * Kills units: sets the bias of the first {@code dead} units of a dense layer to -10, far below any
     * pre-activation its inputs can produce (He init on unit-variance inputs: standard deviation ~1.4), so those
     * ReLU units output zero for every example. Their weights and biases then get an exactly-zero gradient and can
     * never recover, whatever the optimizer; the remaining units train normally.
     */
    static <T> T withDeadUnits(T net, String layer, int dead) {
        Layer l = net instanceof MultiLayerNetwork m ? m.getLayer(Integer.parseInt(layer))
                : ((ComputationGraph) net).getLayer(layer);
        INDArray b = l.getParam("b");
        b.reshape(b.length()).get(NDArrayIndex.interval(0, dead)).assign(-10);
        return net;
    }

    // --- data --------------------------------------------------------------------------------------------------------

    /**
     * {@code batches} minibatches of Gaussian features whose label is the arg-max of a fixed random linear map of
     * them (a learnable problem), from the one generator, {@link SyntheticData}.
     */
    public static List<DataSet> classification(long seed, int batches) {
        return SyntheticData.classification(seed, batches, BATCH, N_IN, CLASSES);
    }

    /** The same minibatches with one NaN feature in minibatch {@code at}. */
    static List<DataSet> withNan(List<DataSet> batches, int at) {
        List<DataSet> out = new ArrayList<>(batches);
        DataSet bad = batches.get(at).copy();
        bad.getFeatures().putScalar(0, 0, Double.NaN);
        out.set(at, bad);
        return out;
    }

    /**
     * The samples module's regression sequences: {@code batches} fresh minibatches of 16 sequences of 3 inputs
     * ~ N(0, 0.25); the target at step t is the running sum of the first input up to t divided by sqrt(t + 1), so the
     * recurrent state must carry the sum.
     */
    public static List<DataSet> runningSums(long seed, int batches, int steps) {
        Nd4j.getRandom().setSeed(seed);
        List<DataSet> out = new ArrayList<>(batches);
        for (int b = 0; b < batches; b++) {
            INDArray x = Nd4j.randn(DataType.FLOAT, SEQUENCE_BATCH, RNN_IN, steps).muli(0.5);
            INDArray y = Nd4j.zeros(DataType.FLOAT, SEQUENCE_BATCH, 1, steps);
            for (int i = 0; i < SEQUENCE_BATCH; i++) {
                double sum = 0;
                for (int t = 0; t < steps; t++) {
                    sum += x.getDouble(i, 0, t);
                    y.putScalar(new int[] {i, 0, t}, sum / Math.sqrt(t + 1));
                }
            }
            out.add(new DataSet(x, y));
        }
        return out;
    }

    /**
     * Sequences for a per-step classifier, shape [16, N_IN, steps]: the label at step t is the arg-max of a fixed
     * linear map of the running mean of the inputs up to t, so the recurrent state matters.
     */
    public static List<DataSet> sequences(long seed, int batches, int steps) {
        Nd4j.getRandom().setSeed(seed);
        INDArray teacher = Nd4j.randn(DataType.FLOAT, N_IN, CLASSES);
        List<DataSet> out = new ArrayList<>(batches);
        for (int b = 0; b < batches; b++) {
            INDArray x = Nd4j.randn(DataType.FLOAT, SEQUENCE_BATCH, N_IN, steps);
            INDArray y = Nd4j.zeros(DataType.FLOAT, SEQUENCE_BATCH, CLASSES, steps);
            INDArray running = Nd4j.zeros(DataType.FLOAT, SEQUENCE_BATCH, N_IN);
            for (int t = 0; t < steps; t++) {
                running.addi(x.get(NDArrayIndex.all(),
                        NDArrayIndex.all(), NDArrayIndex.point(t)));
                INDArray argMax = running.mmul(teacher).argMax(1);
                for (int i = 0; i < SEQUENCE_BATCH; i++) {
                    y.putScalar(new long[] {i, argMax.getInt(i), t}, 1.0);
                }
            }
            out.add(new DataSet(x, y));
        }
        return out;
    }
}
