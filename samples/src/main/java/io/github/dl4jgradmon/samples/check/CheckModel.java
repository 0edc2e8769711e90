package io.github.dl4jgradmon.samples.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A network built from a DL4J configuration JSON, with the input and output shapes the check tool trains it on.
 *
 * @param net    an initialised MultiLayerNetwork or ComputationGraph
 * @param input  the shape of one example
 * @param output what the output layer predicts
 */
record CheckModel(Object net, InputShape input, OutputSpec output) {

    /** Sequence length used when the configuration does not fix one (DL4J keeps no time-series length). */
    static final int DEFAULT_STEPS = 20;

    enum InputKind { FEED_FORWARD, RECURRENT, CONVOLUTIONAL_FLAT }

    /**
     * @param kind     feed-forward vector, sequence [nIn, steps], or an image given flat (h * w * c values)
     * @param size     values per example (per time step for RECURRENT)
     * @param steps    time steps (RECURRENT only)
     * @param describe e.g. {@code feed-forward, 20 inputs}
     */
    record InputShape(InputKind kind, long size, int steps, String describe) {
    }

    /**
     * @param nOut    output size
     * @param softmax classification: labels are one-hot
     * @param sigmoid binary targets in {0, 1}
     * @param perStep labels per time step (RnnOutputLayer)
     */
    record OutputSpec(long nOut, boolean softmax, boolean sigmoid, boolean perStep) {
    }

    String networkKind() {
        return net instanceof MultiLayerNetwork ? "MultiLayerNetwork" : "ComputationGraph";
    }

    static CheckModel load(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new BadInputException("--config file not found: " + path.toAbsolutePath());
        }
        String text;
        try {
            text = Files.readString(path);
        } catch (IOException e) {
            throw new BadInputException("--config cannot be read: " + path + " (" + e.getMessage() + ")");
        }
        JsonNode tree;
        try {
            tree = new ObjectMapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new BadInputException("--config is not valid JSON: " + path + " (" + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        }
        if (tree != null && tree.isObject() && tree.has("confs")) {
            MultiLayerConfiguration conf = parse(path, () -> MultiLayerConfiguration.fromJson(text),
                    "MultiLayerConfiguration");
            if (conf.getConfs().isEmpty()) {
                throw new BadInputException("--config has no layers: " + path);
            }
            MultiLayerNetwork net = build(path, () -> {
                MultiLayerNetwork n = new MultiLayerNetwork(conf);
                n.init();
                return n;
            });
            Layer first = conf.getConf(0).getLayer();
            Layer last = conf.getConf(conf.getConfs().size() - 1).getLayer();
            return new CheckModel(net, inputShape(describe(first, "layer 0"), first, conf.getInputPreProcess(0)),
                    outputSpec(last, "layer " + (conf.getConfs().size() - 1)));
        }
        if (tree != null && tree.isObject() && tree.has("vertices")) {
            ComputationGraphConfiguration conf = parse(path, () -> ComputationGraphConfiguration.fromJson(text),
                    "ComputationGraphConfiguration");
            return graph(path, conf);
        }
        throw new BadInputException("--config is not a DL4J MultiLayerConfiguration or ComputationGraphConfiguration "
                + "JSON (no \"confs\" or \"vertices\" field): " + path);
    }

    private static CheckModel graph(Path path, ComputationGraphConfiguration conf) {
        List<String> inputs = conf.getNetworkInputs();
        List<String> outputs = conf.getNetworkOutputs();
        if (inputs.size() != 1 || outputs.size() != 1) {
            throw new BadInputException("--config: check supports graphs with one input and one output (got: "
                    + inputs.size() + " inputs " + inputs + ", " + outputs.size() + " outputs " + outputs + ")");
        }
        String in = inputs.get(0);
        LayerVertex consumer = null;
        String consumerName = null;
        for (Map.Entry<String, List<String>> e : conf.getVertexInputs().entrySet()) {
            if (e.getValue().contains(in)) {
                GraphVertex v = conf.getVertices().get(e.getKey());
                if (!(v instanceof LayerVertex lv)) {
                    throw new BadInputException("--config lacks the input shape: input '" + in + "' feeds vertex '"
                            + e.getKey() + "' (" + v.getClass().getSimpleName() + "), not a layer with nIn");
                }
                consumer = lv;
                consumerName = e.getKey();
                break;
            }
        }
        if (consumer == null) {
            throw new BadInputException("--config: no layer reads the graph input '" + in + "'");
        }
        GraphVertex out = conf.getVertices().get(outputs.get(0));
        if (!(out instanceof LayerVertex outLayer)) {
            throw new BadInputException("--config: the graph output '" + outputs.get(0) + "' is not an output layer");
        }
        InputShape shape = inputShape(describe(consumer.getLayerConf().getLayer(), "vertex '" + consumerName + "'"),
                consumer.getLayerConf().getLayer(), consumer.getPreProcessor());
        OutputSpec output = outputSpec(outLayer.getLayerConf().getLayer(), "vertex '" + outputs.get(0) + "'");
        ComputationGraph net = build(path, () -> {
            ComputationGraph g = new ComputationGraph(conf);
            g.init();
            return g;
        });
        return new CheckModel(net, shape, output);
    }

    private static String describe(Layer layer, String where) {
        return where + " (" + layer.getClass().getSimpleName() + ")";
    }

    private static InputShape inputShape(String where, Layer layer, InputPreProcessor pre) {
        if (pre instanceof FeedForwardToCnnPreProcessor p) {
            long size = p.getInputHeight() * p.getInputWidth() * p.getNumChannels();
            return new InputShape(InputKind.CONVOLUTIONAL_FLAT, size, 0, "convolutional, " + p.getInputHeight() + "x"
                    + p.getInputWidth() + "x" + p.getNumChannels() + " given flat (" + size + " values)");
        }
        Layer inner = layer;
        while (true) {
            if (inner instanceof BaseWrapperLayer w) {
                inner = w.getUnderlying();
            } else if (inner instanceof Bidirectional b) {
                inner = b.getFwd();
            } else {
                break;
            }
        }
        if (inner instanceof EmbeddingLayer || inner instanceof EmbeddingSequenceLayer) {
            throw new BadInputException("--config: the first layer, " + where + ", takes integer indices; check "
                    + "trains on real-valued inputs only");
        }
        if (inner instanceof ConvolutionLayer || !(inner instanceof FeedForwardLayer)) {
            throw new BadInputException("--config lacks the input shape: the first layer, " + where + ", needs the "
                    + "image height and width, which DL4J keeps only for "
                    + ".setInputType(InputType.convolutionalFlat(h, w, c)); build the configuration with that");
        }
        long nIn = ((FeedForwardLayer) inner).getNIn();
        if (nIn <= 0) {
            throw new BadInputException("--config lacks the input shape: the first layer, " + where + ", has no nIn; "
                    + "set .nIn(...) or .setInputType(...) when building the configuration");
        }
        if (inner instanceof BaseRecurrentLayer) {
            return new InputShape(InputKind.RECURRENT, nIn, DEFAULT_STEPS, "recurrent, " + nIn + " inputs x "
                    + DEFAULT_STEPS + " steps (DL4J configurations keep no sequence length; " + DEFAULT_STEPS
                    + " assumed)");
        }
        return new InputShape(InputKind.FEED_FORWARD, nIn, 0, "feed-forward, " + nIn + " inputs");
    }

    private static OutputSpec outputSpec(Layer layer, String where) {
        if (!(layer instanceof BaseOutputLayer o) || o.getNOut() <= 0) {
            throw new BadInputException("--config: the last layer, " + describe(layer, where)
                    + ", is not an output layer with nOut (OutputLayer, RnnOutputLayer, ...)");
        }
        IActivation a = o.getActivationFn();
        return new OutputSpec(o.getNOut(), a instanceof ActivationSoftmax, a instanceof ActivationSigmoid,
                layer instanceof RnnOutputLayer);
    }

    private interface Parse<T> {
        T get();
    }

    private static <T> T parse(Path path, Parse<T> parse, String what) {
        try {
            return parse.get();
        } catch (RuntimeException e) {
            throw new BadInputException("--config looks like a " + what + " but DL4J cannot read it: " + path + " ("
                    + firstLine(e) + ")");
        }
    }

    private static <T> T build(Path path, Parse<T> build) {
        try {
            return build.get();
        } catch (RuntimeException e) {
            throw new BadInputException("--config cannot be built into a network: " + path + " (" + firstLine(e)
                    + ")");
        }
    }

    static String firstLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
