package io.github.dl4jgradmon.internal.model;

import io.github.dl4jgradmon.model.ActivationKind;
import io.github.dl4jgradmon.model.GradientHandling;
import io.github.dl4jgradmon.model.LayerGraph;
import io.github.dl4jgradmon.model.LayerSlot;
import io.github.dl4jgradmon.model.ModelLayout;
import io.github.dl4jgradmon.model.ParamSlot;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.Trainable;
import org.deeplearning4j.nn.api.TrainingConfig;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.layers.AbstractLSTM;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.misc.ElementWiseMultiplicationLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.layers.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.L1Regularization;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The one place that knows the difference between a {@link MultiLayerNetwork} and a {@link ComputationGraph}.
 * Everything else in the monitor works on {@link ModelLayout} offsets and plain numbers.
 *
 * <p>Layers come in updater order (MultiLayerNetwork layer order; ComputationGraph topological order, vertices without
 * parameters skipped); each parameter's place in the flat buffers is read from DL4J's own views of them, not from the
 * order of {@code paramTable()} (which is not the buffer order for every layer type).
 */
public abstract sealed class ModelAdapter permits ModelAdapter.Mln, ModelAdapter.Graph, LayerPretraining {

    /**
     * The adapter for a full network or for a pretrainable layer that DL4J trains on its own during layer-wise
     * pretraining ({@link LayerPretraining}); empty for anything else.
     */
    public static Optional<ModelAdapter> of(Model model) {
        if (model instanceof MultiLayerNetwork mln) {
            return Optional.of(new Mln(mln));
        }
        if (model instanceof ComputationGraph cg) {
            return Optional.of(new Graph(cg));
        }
        if (model instanceof Layer layer && LayerPretraining.pretrains(layer)) {
            return Optional.of(new LayerPretraining(layer));
        }
        return Optional.empty();
    }

    /** The layer being pretrained, by name, when this model is a single layer in layer-wise pretraining. */
    public Optional<String> pretrainedLayer() {
        return Optional.empty();
    }

    /** The network, when this model is a MultiLayerNetwork (for probes that need its configuration and input). */
    public Optional<MultiLayerNetwork> multiLayerNetwork() {
        return Optional.empty();
    }

    /** The flat gradient buffer: raw summed gradient at {@code onGradientCalculation}, applied update afterwards. */
    public abstract INDArray gradients();

    /** The flat parameter buffer. */
    public abstract INDArray params();

    /** DL4J's iteration count (before this iteration's increment while the iteration runs). */
    public abstract int iteration();

    public abstract int epoch();

    /** The current minibatch size, as DL4J's updater reads it. */
    public abstract int batchSize();

    /** Whether DL4J divides gradients by the minibatch size ({@code miniBatch(true)}, the default). */
    public abstract boolean miniBatch();

    public abstract double score();

    /** The updater's flat state (Adam moments, ...), or null when the updater keeps none (plain SGD). */
    public abstract INDArray updaterState();

    /** The current learning rate of a layer, or empty when it uses a schedule or has none. */
    public abstract Optional<Double> learningRate(LayerSlot layer);

    /** Sets a layer's learning rate (DL4J's {@code setLearningRate(layer, lr)}). */
    public abstract void learningRate(LayerSlot layer, double lr);

    /** Names and modes of layers whose configuration sets DL4J's own gradient normalization, e.g. "0 (ClipL2PerLayer)". */
    public List<String> layersWithGradientNormalization() {
        List<String> out = new ArrayList<>();
        for (Named named : orderedTrainables()) {
            TrainingConfig c = named.trainable.getConfig();
            if (c != null && c.getGradientNormalization() != null
                    && c.getGradientNormalization() != GradientNormalization.None) {
                out.add(named.name + " (" + c.getGradientNormalization() + ")");
            }
        }
        return out;
    }

    /**
     * Computes the layout of the parameters from DL4J's own views (see {@link ParamViews}); call it when the gradient
     * buffer exists. A parameter is gradient-driven when its updater is set and not {@code NoOp} and DL4J divides its
     * gradient by the minibatch. A layer that has gradient-driven parameters may also have parameters it moves itself
     * ({@code CenterLossOutputLayer}'s centers, {@code BatchNormalization}'s running mean and variance): DL4J writes
     * their step into the gradient buffer and applies it with a {@code NoOp} updater. Those are
     * {@linkplain LayerSlot#moved() moved}, measured for their values and changes only. Parameters only pretraining
     * trains are left out (backprop gives them no gradient and DL4J's updater skips them), and so is a layer with no
     * gradient-driven parameter (frozen, or a {@code NoOp} updater for all).
     *
     * @throws IllegalStateException when the views do not tile the flat buffers as the monitor reads them
     */
    public ModelLayout layout() {
        INDArray flatParams = params();
        INDArray flatGradients = gradients();
        long total = flatParams.length();
        if (flatGradients.length() != total) {
            throw new IllegalStateException("the flat gradient buffer has " + flatGradients.length()
                    + " elements and the flat parameter buffer " + total + ": unsupported model structure");
        }
        List<LayerSlot> layers = new ArrayList<>();
        List<long[]> covered = new ArrayList<>();
        for (Named named : orderedTrainables()) {
            Trainable t = named.trainable;
            TrainingConfig config = t.getConfig();
            List<ParamSlot> params = new ArrayList<>();
            List<ParamSlot> moved = new ArrayList<>();
            boolean frozen = isFrozen(t);
            List<ParamViews.Placed> placed = frozen ? ParamViews.placeParamsOnly(t, named.name, flatParams)
                    : ParamViews.place(t, named.name, flatParams, flatGradients);
            for (ParamViews.Placed p : placed) {
                covered.add(new long[] {p.offset(), p.length()});
                if (frozen || !trainsPretrainParams() && isPretrainParam(t, p.key())) {
                    continue;
                }
                ParamSlot slot = slotOf(config, p);
                if (t.updaterDivideByMinibatch(p.key()) && isUpdated(config, p.key())) {
                    params.add(slot);
                } else {
                    moved.add(slot);
                }
            }
            if (!params.isEmpty()) {
                params.sort(Comparator.comparingLong(ParamSlot::offset));
                moved.sort(Comparator.comparingLong(ParamSlot::offset));
                layers.add(new LayerSlot(named.name, named.index, named.type, params, moved, activationOf(t),
                        activationNameOf(t), handlingOf(config, params)));
            }
        }
        checkTiling(covered, total);
        return new ModelLayout(layers, total, graphOf(layers));
    }

    /** DL4J's gradient normalization and the regularization of each gradient-driven parameter, from its config. */
    static GradientHandling handlingOf(TrainingConfig config, List<ParamSlot> params) {
        if (config == null) {
            return GradientHandling.NONE;
        }
        GradientNormalization gn = config.getGradientNormalization();
        String mode = gn == null ? "None" : gn.name();
        boolean thresholded = gn == GradientNormalization.ClipElementWiseAbsoluteValue
                || gn == GradientNormalization.ClipL2PerLayer
                || gn == GradientNormalization.ClipL2PerParamType;
        Map<String, List<String>> regularization = new LinkedHashMap<>();
        for (ParamSlot slot : params) {
            List<Regularization> terms =
                    config.getRegularizationByParam(slot.key());
            if (terms != null && !terms.isEmpty()) {
                regularization.put(slot.key(), terms.stream().map(ModelAdapter::describe).toList());
            }
        }
        return new GradientHandling(mode, thresholded ? config.getGradientNormalizationThreshold() : Double.NaN,
                regularization);
    }

    /** {@code l1=1.0E-4}, {@code l2=1.0E-4}, {@code weightDecay=1.0E-4} (plus {@code , times lr}), else the class name. */
    private static String describe(Regularization r) {
        if (r instanceof L1Regularization l1) {
            return "l1=" + value(l1.getL1());
        }
        if (r instanceof L2Regularization l2) {
            return "l2=" + value(l2.getL2());
        }
        if (r instanceof WeightDecay wd) {
            return "weightDecay=" + value(wd.getCoeff()) + (wd.isApplyLR() ? " (times the learning rate)" : "");
        }
        return r.getClass().getSimpleName();
    }

    private static String value(ISchedule schedule) {
        return schedule instanceof FixedSchedule f ? String.valueOf(f.getValue())
                : String.valueOf(schedule);
    }

    /** The parameter views must cover the flat buffer exactly once: no overlap, no stretch left unexplained. */
    private static void checkTiling(List<long[]> covered, long total) {
        covered.sort(Comparator.comparingLong(r -> r[0]));
        long next = 0;
        for (long[] r : covered) {
            if (r[0] != next) {
                throw new IllegalStateException("the parameter views " + (r[0] < next ? "overlap" : "leave a gap")
                        + " at element " + Math.min(r[0], next) + " of the flat buffer: unsupported model structure");
            }
            next = r[0] + r[1];
        }
        if (next != total) {
            throw new IllegalStateException("parameter views cover " + next + " elements but the flat buffer has "
                    + total + ": unsupported model structure");
        }
    }

    /** How the given layers connect; a chain unless the model says otherwise. */
    LayerGraph graphOf(List<LayerSlot> layers) {
        return LayerGraph.chain(layers.size());
    }

    /**
     * Whether the layer's saturation is measured, and against which activation: only layers whose forward pass
     * applies their configured activation to the output they hand on ({@link #appliesActivation}), with a sigmoid or
     * tanh activation.
     */
    static ActivationKind activationOf(Trainable t) {
        Layer layer = t instanceof Layer l ? l : t instanceof GraphVertex v && v.hasLayer() ? v.getLayer() : null;
        if (layer == null || layer.conf() == null
                || !(layer.conf().getLayer() instanceof BaseLayer conf)
                || !appliesActivation(conf)) {
            return ActivationKind.OTHER;
        }
        if (conf.getActivationFn() instanceof ActivationSigmoid) {
            return ActivationKind.SIGMOID;
        }
        if (conf.getActivationFn() instanceof ActivationTanH) {
            return ActivationKind.TANH;
        }
        return ActivationKind.OTHER;
    }

    /**
     * The activation function the layer applies, as ND4J prints it without its arguments ({@code relu},
     * {@code leakyrelu}, {@code sigmoid}, ...), for the hints: a layer that applies its activation to its output
     * ({@link #appliesActivation}) or an LSTM (its cell activation); empty otherwise (batch normalization's
     * configuration carries DL4J's default, sigmoid, which it never applies).
     */
    static String activationNameOf(Trainable t) {
        Layer layer = t instanceof Layer l ? l : t instanceof GraphVertex v && v.hasLayer() ? v.getLayer() : null;
        if (layer == null || layer.conf() == null
                || !(layer.conf().getLayer() instanceof BaseLayer conf)
                || conf.getActivationFn() == null
                || !(appliesActivation(conf) || conf instanceof AbstractLSTM)) {
            return "";
        }
        String name = conf.getActivationFn().toString().toLowerCase(Locale.ROOT);
        int args = name.indexOf('(');
        return (args < 0 ? name : name.substring(0, args)).strip();
    }

    /**
     * Layer types whose forward pass hands on {@code activation(preOutput)}, pinned per type against DL4J's real
     * forward output (ActivationAppliedTest): dense, every convolution (1D, 2D, 3D, transposed, separable,
     * depthwise), SimpleRnn, the embedding layers, ElementWiseMultiplicationLayer and output layers. Not:
     * BatchNormalization (it hands on {@code gamma * xhat + beta}; its configuration carries DL4J's global default
     * activation, sigmoid, which it never applies), PReLU (its own activation), the LSTM family (the output mixes
     * gates: not one activation of one input) and any type not listed, which is left unmeasured rather than guessed.
     */
    static boolean appliesActivation(org.deeplearning4j.nn.conf.layers.Layer conf) {
        return conf instanceof DenseLayer
                || conf instanceof ConvolutionLayer
                || conf instanceof SimpleRnn
                || conf instanceof EmbeddingLayer
                || conf instanceof EmbeddingSequenceLayer
                || conf instanceof ElementWiseMultiplicationLayer
                || conf instanceof BaseOutputLayer;
    }

    /**
     * The slot of a placed parameter, with its AGC units: an output unit's entries. For most arrays that is a
     * contiguous slice along the slowest-varying dimension ({@link #unitLength}); the depthwise kernels are not laid
     * out output channel by output channel. {@code SeparableConvolution2D}'s {@code W} is
     * {@code [depthMultiplier, nIn, kH, kW]}: an output channel (m, c) is one {@code kH x kW} slice.
     * {@code DepthwiseConvolution2D}'s {@code W} is {@code [kH, kW, nIn, depthMultiplier]}: an output channel (c, m)
     * is its two fastest-varying axes, entries {@code nIn x depthMultiplier} apart (interleaved units).
     */
    static ParamSlot slotOf(TrainingConfig config, ParamViews.Placed p) {
        INDArray view = p.view();
        if (view.rank() == 4 && view.ordering() == 'c' && p.key().equals("W")) {
            if (config instanceof DepthwiseConvolution2D) {
                return new ParamSlot(p.key(), p.offset(), p.length(), view.size(0) * view.size(1), true);
            }
            if (config instanceof SeparableConvolution2D) {
                return new ParamSlot(p.key(), p.offset(), p.length(), view.size(2) * view.size(3));
            }
        }
        return new ParamSlot(p.key(), p.offset(), p.length(), unitLength(view));
    }

    /** Length of a contiguous slice along the slowest-varying dimension: what AGC calls a unit. */
    static long unitLength(INDArray view) {
        long length = view.length();
        if (view.rank() < 2 || view.isVector() || length == 0) {
            return 1;
        }
        long slowest = view.ordering() == 'f' ? view.size(view.rank() - 1) : view.size(0);
        return slowest > 0 ? length / slowest : 1;
    }

    /**
     * A frozen wrapper: {@code FrozenLayer} (NoOp updater) or {@code FrozenLayerWithBackprop}, which reports its inner
     * layer's configuration and updater but zeroes its gradient, so that nothing of it is trained.
     */
    private static boolean isFrozen(Trainable t) {
        Layer layer = t instanceof Layer l ? l : t instanceof GraphVertex v && v.hasLayer() ? v.getLayer() : null;
        return layer instanceof FrozenLayer
                || layer instanceof FrozenLayerWithBackprop;
    }

    /**
     * Whether this model's steps train the parameters only layer-wise pretraining trains: true for a layer being
     * pretrained ({@link LayerPretraining}), false for a network, whose backprop gives them no gradient.
     */
    boolean trainsPretrainParams() {
        return false;
    }

    /**
     * Parameters only layer-wise pretraining trains (an AutoEncoder's visible bias, a VariationalAutoencoder's
     * decoder): DL4J's updater skips them during backprop, where they get no gradient.
     */
    private static boolean isPretrainParam(Trainable t, String key) {
        Layer layer = t instanceof Layer l ? l : t instanceof GraphVertex v && v.hasLayer() ? v.getLayer() : null;
        return layer != null && layer.conf() != null && layer.conf().getLayer() != null
                && layer.conf().getLayer().isPretrainParam(key);
    }

    private static boolean isUpdated(TrainingConfig config, String key) {
        if (config == null) {
            return false;
        }
        IUpdater updater = config.getUpdaterByParam(key);
        return updater != null && !(updater instanceof NoOp);
    }

    abstract List<Named> orderedTrainables();

    record Named(String name, int index, String type, Trainable trainable) {
    }

    static String typeOf(Layer layer) {
        if (layer.conf() != null && layer.conf().getLayer() != null) {
            return layer.conf().getLayer().getClass().getSimpleName();
        }
        return layer.getClass().getSimpleName();
    }

    static final class Mln extends ModelAdapter {
        private final MultiLayerNetwork net;

        Mln(MultiLayerNetwork net) {
            this.net = net;
        }

        @Override
        public Optional<MultiLayerNetwork> multiLayerNetwork() {
            return Optional.of(net);
        }

        @Override
        public INDArray gradients() {
            return net.getGradientsViewArray();
        }

        @Override
        public INDArray params() {
            return net.params();
        }

        @Override
        public int iteration() {
            return net.getIterationCount();
        }

        @Override
        public int epoch() {
            return net.getEpochCount();
        }

        @Override
        public int batchSize() {
            return net.batchSize();
        }

        @Override
        public boolean miniBatch() {
            return net.conf().isMiniBatch();
        }

        @Override
        public double score() {
            return net.score();
        }

        @Override
        public INDArray updaterState() {
            return net.getUpdater() == null ? null : net.getUpdater().getStateViewArray();
        }

        @Override
        public Optional<Double> learningRate(LayerSlot layer) {
            return Optional.ofNullable(net.getLearningRate(layer.index()));
        }

        @Override
        public void learningRate(LayerSlot layer, double lr) {
            net.setLearningRate(layer.index(), lr);
        }

        @Override
        List<Named> orderedTrainables() {
            List<Named> out = new ArrayList<>();
            Layer[] layers = net.getLayers();
            for (int i = 0; i < layers.length; i++) {
                Layer layer = layers[i];
                if (layer.numParams() == 0) {
                    continue;
                }
                String name = layer.conf().getLayer().getLayerName();
                out.add(new Named(name != null ? name : String.valueOf(i), i, typeOf(layer), layer));
            }
            return out;
        }
    }

    static final class Graph extends ModelAdapter {
        private final ComputationGraph graph;

        Graph(ComputationGraph graph) {
            this.graph = graph;
        }

        @Override
        public INDArray gradients() {
            return graph.getGradientsViewArray();
        }

        @Override
        public INDArray params() {
            return graph.params();
        }

        @Override
        public int iteration() {
            return graph.getIterationCount();
        }

        @Override
        public int epoch() {
            return graph.getEpochCount();
        }

        @Override
        public int batchSize() {
            return graph.batchSize();
        }

        @Override
        public boolean miniBatch() {
            return graph.conf().isMiniBatch();
        }

        @Override
        public double score() {
            return graph.score();
        }

        @Override
        public INDArray updaterState() {
            return graph.getUpdater() == null ? null : graph.getUpdater().getStateViewArray();
        }

        @Override
        public Optional<Double> learningRate(LayerSlot layer) {
            return Optional.ofNullable(graph.getLearningRate(layer.name()));
        }

        @Override
        public void learningRate(LayerSlot layer, double lr) {
            graph.setLearningRate(layer.name(), lr);
        }

        /**
         * Walks the configuration's vertex inputs: the layers in the layout are the nodes; every other vertex
         * (inputs, merges, parameter-free or frozen layers) is looked through.
         */
        @Override
        LayerGraph graphOf(List<LayerSlot> layers) {
            ComputationGraphConfiguration conf = graph.getConfiguration();
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < layers.size(); i++) {
                index.put(layers.get(i).name(), i);
            }
            Map<String, List<String>> consumers = new HashMap<>();
            conf.getVertexInputs().forEach((vertex, inputs) -> {
                for (String in : inputs) {
                    consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(vertex);
                }
            });
            Set<String> outputs = new HashSet<>(conf.getNetworkOutputs());
            int n = layers.size();
            boolean[] inputSide = new boolean[n];
            boolean[] outputSide = new boolean[n];
            int[][] successors = new int[n][];
            for (String input : conf.getNetworkInputs()) {
                for (String reached : reachedLayers(input, consumers, index, null)) {
                    inputSide[index.get(reached)] = true;
                }
            }
            for (int i = 0; i < n; i++) {
                String name = layers.get(i).name();
                boolean[] feedsOutput = {outputs.contains(name)};
                successors[i] = reachedLayers(name, consumers, index, v -> {
                    if (outputs.contains(v)) {
                        feedsOutput[0] = true;
                    }
                }).stream().mapToInt(index::get).toArray();
                outputSide[i] = feedsOutput[0];
            }
            return LayerGraph.of(inputSide, outputSide, successors);
        }

        /**
         * The layout layers reached from {@code start} by paths whose inner vertices are not layout layers; every
         * vertex passed through (not a layout layer) is handed to {@code passed}.
         */
        private static List<String> reachedLayers(String start, Map<String, List<String>> consumers,
                                                  Map<String, Integer> layers,
                                                  Consumer<String> passed) {
            List<String> out = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            ArrayDeque<String> todo = new ArrayDeque<>(consumers.getOrDefault(start, List.of()));
            while (!todo.isEmpty()) {
                String v = todo.poll();
                if (!seen.add(v)) {
                    continue;
                }
                if (layers.containsKey(v)) {
                    out.add(v);
                    continue;
                }
                if (passed != null) {
                    passed.accept(v);
                }
                todo.addAll(consumers.getOrDefault(v, List.of()));
            }
            out.sort(Comparator.comparing(layers::get));
            return out;
        }

        @Override
        List<Named> orderedTrainables() {
            List<Named> out = new ArrayList<>();
            GraphVertex[] vertices = graph.getVertices();
            int[] order = graph.topologicalSortOrder();
            for (int i = 0; i < order.length; i++) {
                GraphVertex v = vertices[order[i]];
                if (v.numParams() == 0) {
                    continue;
                }
                String type = v.hasLayer() ? typeOf(v.getLayer()) : v.getClass().getSimpleName();
                out.add(new Named(v.getVertexName(), i, type, v));
            }
            return out;
        }
    }
}
