package io.github.dl4jgradmon.cli.check;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.cli.check.ConfigLayers.Entry;
import io.github.dl4jgradmon.clip.GradientClipping;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.WeightInitRelu;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.learning.config.IUpdater;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The fixes {@code --try-fixes} tries: each a small transformation of a copy of a DL4J configuration (or, for
 * global-norm clipping, a reaction of the monitor, which DL4J's configuration cannot express).
 */
final class Fixes {

    /** Leak of the LeakyReLU that replaces ReLU (DL4J's default alpha). */
    static final double LEAK = 0.01;
    /** Learning-rate factor of the {@code lr-x0.1} fix. */
    static final double LR_FACTOR = 0.1;
    /** Global gradient norm (batch-averaged units) of the {@code clip-global-norm} fix. */
    static final double CLIP_NORM = 1.0;

    /**
     * One fix.
     *
     * @param id           its name on the command line and in the table
     * @param description  what it does
     * @param transform    the configuration change (on a copy); identity for monitor-only fixes
     * @param clipping     the monitor's clipping, for the fix that DL4J's configuration cannot express
     * @param keepsWeights whether trained weights (of a saved model) still apply afterwards
     */
    record Fix(String id, String description, UnaryOperator<Object> transform, Optional<GradientClipping> clipping,
               boolean keepsWeights) {
    }

    static final Fix RELU_HE = new Fix("relu-he", "sigmoid/tanh hidden layers -> ReLU + He init", Fixes::reluHe,
            Optional.empty(), false);
    static final Fix BATCH_NORM = new Fix("batchnorm", "BatchNormalization after each hidden dense/conv layer",
            Fixes::batchNorm, Optional.empty(), false);
    static final Fix LR_DOWN = new Fix("lr-x0.1", "every learning rate x0.1", c -> scaleLearningRates(c, LR_FACTOR),
            Optional.empty(), true);
    static final Fix CLIP = new Fix("clip-global-norm", "global-norm gradient clipping at " + CLIP_NORM
            + " (GradientMonitor.clipping)", c -> c, Optional.of(GradientClipping.globalNorm(CLIP_NORM)), true);
    static final Fix LEAKY_RELU = new Fix("leaky-relu", "ReLU hidden layers -> LeakyReLU(" + LEAK + ")",
            Fixes::leakyRelu, Optional.empty(), true);

    static final List<Fix> ALL = List.of(RELU_HE, BATCH_NORM, LR_DOWN, CLIP, LEAKY_RELU);

    private Fixes() {
    }

    /** The fixes worth trying for what the lint and the baseline run found, in {@link #ALL} order. */
    static List<Fix> applicable(Object conf, Set<String> lintRules, Set<AlertType> alerts) {
        List<Entry> layers = ConfigLayers.of(conf);
        boolean saturating = layers.stream().anyMatch(e -> e.hiddenWithActivation() && e.saturating());
        boolean relu = layers.stream().anyMatch(e -> e.hiddenWithActivation() && e.relu());
        boolean bnCandidates = layers.stream().anyMatch(Fixes::bnCandidate);
        boolean hasLr = layers.stream().anyMatch(e -> updater(e.layer()).map(IUpdater::hasLearningRate)
                .orElse(false));
        boolean vanishing = lintRules.contains("DEEP_SATURATING") || alerts.contains(AlertType.VANISHING)
                || alerts.contains(AlertType.SATURATION);
        boolean unstable = alerts.contains(AlertType.EXPLODING) || alerts.contains(AlertType.NON_FINITE)
                || alerts.contains(AlertType.LOSS_SPIKE);
        List<Fix> out = new ArrayList<>();
        if (saturating && (vanishing || lintRules.contains("DEFAULT_ACTIVATION"))) {
            out.add(RELU_HE);
        }
        if (bnCandidates && vanishing && !ConfigLayers.hasBatchNormalization(conf)) {
            out.add(BATCH_NORM);
        }
        if (hasLr && (unstable || lintRules.contains("LEARNING_RATE") || alerts.contains(AlertType.UPDATE_RATIO))) {
            out.add(LR_DOWN);
        }
        if (unstable) {
            out.add(CLIP);
        }
        if (relu && alerts.contains(AlertType.DEAD_UNITS)) {
            out.add(LEAKY_RELU);
        }
        return out;
    }

    static Fix byId(String id) {
        return ALL.stream().filter(f -> f.id().equals(id)).findFirst().orElseThrow();
    }

    // ------------------------------------------------------------------------------------------ transformations

    /** Hidden sigmoid/tanh layers (dense, convolution, activation layers) get ReLU and He init. */
    static Object reluHe(Object conf) {
        for (Entry e : ConfigLayers.of(conf)) {
            if (e.hiddenWithActivation() && e.saturating()) {
                setActivation(e.layer(), new ActivationReLU());
                if (CheckModel.unwrap(e.layer()) instanceof BaseLayer b) {
                    b.setWeightInitFn(new WeightInitRelu());
                }
            }
        }
        return conf;
    }

    /** Hidden ReLU layers get LeakyReLU (alpha {@value #LEAK}): a dead unit still gets a gradient. */
    static Object leakyRelu(Object conf) {
        for (Entry e : ConfigLayers.of(conf)) {
            if (e.hiddenWithActivation() && e.relu()) {
                setActivation(e.layer(), new ActivationLReLU(LEAK));
            }
        }
        return conf;
    }

    private static void setActivation(Layer layer, IActivation a) {
        Layer inner = CheckModel.unwrap(layer);
        if (inner instanceof BaseLayer b) {
            b.setActivationFn(a);
        } else if (inner instanceof ActivationLayer al) {
            al.setActivationFn(a);
        }
    }

    /** Every layer's learning rate (weights and biases) times {@code factor}; a schedule becomes a constant. */
    static Object scaleLearningRates(Object conf, double factor) {
        for (Entry e : ConfigLayers.of(conf)) {
            if (CheckModel.unwrap(e.layer()) instanceof BaseLayer b) {
                b.setIUpdater(scaled(b.getIUpdater(), factor));
                b.setBiasUpdater(scaled(b.getBiasUpdater(), factor));
            }
        }
        return conf;
    }

    private static IUpdater scaled(IUpdater u, double factor) {
        if (u == null || !u.hasLearningRate()) {
            return u;
        }
        IUpdater c = u.clone();
        c.setLrAndSchedule(u.getLearningRate(0, 0) * factor, null);
        return c;
    }

    private static Optional<IUpdater> updater(Layer l) {
        return CheckModel.unwrap(l) instanceof BaseLayer b ? Optional.ofNullable(b.getIUpdater()) : Optional.empty();
    }

    private static boolean bnCandidate(Entry e) {
        Layer inner = e.layer();
        return !e.output() && (inner instanceof DenseLayer || inner instanceof ConvolutionLayer)
                && ((FeedForwardLayer) inner).getNOut() > 0;
    }

    /** A BatchNormalization layer after every hidden dense or convolution layer (not before the first). */
    static Object batchNorm(Object conf) {
        if (conf instanceof MultiLayerConfiguration m) {
            List<NeuralNetConfiguration> confs = new ArrayList<>();
            Map<Integer, InputPreProcessor> pre = new LinkedHashMap<>();
            List<Entry> entries = ConfigLayers.of(m);
            for (int i = 0; i < entries.size(); i++) {
                InputPreProcessor p = m.getInputPreProcess(i);
                if (p != null) {
                    pre.put(confs.size(), p);
                }
                NeuralNetConfiguration c = m.getConf(i);
                confs.add(c);
                if (bnCandidate(entries.get(i))) {
                    confs.add(bnConf(c, entries.get(i).name() + "_bn"));
                }
            }
            m.setConfs(confs);
            m.setInputPreProcessors(pre);
            return m;
        }
        ComputationGraphConfiguration g = (ComputationGraphConfiguration) conf;
        Map<String, GraphVertex> vertices = new LinkedHashMap<>(g.getVertices());
        Map<String, List<String>> inputs = new LinkedHashMap<>();
        g.getVertexInputs().forEach((k, v) -> inputs.put(k, new ArrayList<>(v)));
        for (Entry e : ConfigLayers.of(g)) {
            if (!bnCandidate(e)) {
                continue;
            }
            String bn = e.name() + "_bn";
            for (List<String> ins : inputs.values()) {
                ins.replaceAll(s -> s.equals(e.name()) ? bn : s);
            }
            NeuralNetConfiguration c = ((LayerVertex) vertices.get(e.name())).getLayerConf();
            vertices.put(bn, new LayerVertex(bnConf(c, bn), null));
            inputs.put(bn, new ArrayList<>(List.of(e.name())));
        }
        g.setVertices(vertices);
        g.setVertexInputs(inputs);
        g.setTopologicalOrder(null);
        g.setTopologicalOrderStr(null);
        return g;
    }

    private static NeuralNetConfiguration bnConf(NeuralNetConfiguration after, String name) {
        FeedForwardLayer prev = (FeedForwardLayer) after.getLayer();
        BatchNormalization.Builder b = new BatchNormalization.Builder().nIn(prev.getNOut()).nOut(prev.getNOut())
                .name(name);
        if (prev instanceof ConvolutionLayer c && c.getCnn2dDataFormat() == CNN2DFormat.NHWC) {
            b.dataFormat(CNN2DFormat.NHWC);
        }
        BatchNormalization bn = b.build();
        bn.setActivationFn(new ActivationIdentity());
        bn.setIUpdater(prev.getIUpdater() == null ? null : prev.getIUpdater().clone());
        bn.setBiasUpdater(prev.getBiasUpdater() == null ? null : prev.getBiasUpdater().clone());
        bn.setGradientNormalization(prev.getGradientNormalization() == null ? GradientNormalization.None
                : prev.getGradientNormalization());
        bn.setGradientNormalizationThreshold(prev.getGradientNormalizationThreshold());
        bn.setWeightInitFn(prev.getWeightInitFn());
        NeuralNetConfiguration c = after.clone();
        c.setLayer(bn);
        return c;
    }
}
