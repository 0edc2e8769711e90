package io.github.dl4jgradmon.cli.check;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationHardSigmoid;
import org.nd4j.linalg.activations.impl.ActivationHardTanH;
import org.nd4j.linalg.activations.impl.ActivationReLU6;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftPlus;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The model a check runs: its configuration (a {@link MultiLayerConfiguration} or a
 * {@link ComputationGraphConfiguration}), where it came from (a JSON, or a {@code ModelSerializer} zip whose trained
 * weights and updater state are kept), the shape of every input and what every output predicts.
 */
final class CheckModel {

    /** Sequence length when the command line gives none (DL4J configurations keep no sequence length). */
    static final int DEFAULT_STEPS = 20;

    /** What an output predicts, from a forward pass: its shape and the activation of the output layer. */
    record OutputSpec(String name, long[] shape, Range range, int classAxis, String layerType) {
        OutputSpec {
            shape = shape.clone();
        }

        long nOut() {
            return shape[classAxis];
        }

        int rank() {
            return shape.length;
        }

        boolean softmax() {
            return range == Range.PROBABILITIES;
        }
    }

    /** The values an output activation can produce. */
    enum Range {
        PROBABILITIES("a probability distribution (softmax)"), ZERO_ONE("[0, 1]"), MINUS_ONE_ONE("[-1, 1]"),
        NON_NEGATIVE("[0, +inf)"), ANY("any real value");

        final String text;

        Range(String text) {
            this.text = text;
        }
    }

    private final Object conf;
    private final Optional<Path> zip;
    private final List<InputSpec> inputs;
    private final List<OutputSpec> outputs;

    private CheckModel(Object conf, Optional<Path> zip, List<InputSpec> inputs, List<OutputSpec> outputs) {
        this.conf = conf;
        this.zip = zip;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
    }

    /** The same inputs and outputs with another configuration (a fix); trained weights stay with the original. */
    CheckModel withConfiguration(Object newConf) {
        return new CheckModel(newConf, zip, inputs, outputs);
    }

    /** A copy of the configuration: MultiLayerConfiguration or ComputationGraphConfiguration. */
    Object configuration() {
        return conf instanceof MultiLayerConfiguration m ? m.clone() : ((ComputationGraphConfiguration) conf).clone();
    }

    String toJson() {
        return conf instanceof MultiLayerConfiguration m ? m.toJson() : ((ComputationGraphConfiguration) conf).toJson();
    }

    List<InputSpec> inputs() {
        return inputs;
    }

    List<OutputSpec> outputs() {
        return outputs;
    }

    boolean isGraph() {
        return conf instanceof ComputationGraphConfiguration;
    }

    Optional<Path> savedModel() {
        return zip;
    }

    String networkKind() {
        return isGraph() ? "ComputationGraph" : "MultiLayerNetwork";
    }

    /**
     * A fresh network to train. From a saved model: the trained weights and updater state when {@code keepWeights}
     * and the configuration still has the saved parameter count; otherwise initialised from the configuration.
     */
    Model newNet(boolean keepWeights) {
        if (zip.isPresent() && keepWeights) {
            Model saved = restore(zip.get());
            Model fresh = build(configuration());
            if (fresh.numParams() == saved.numParams()) {
                fresh.setParams(saved.params());
                return fresh;
            }
        }
        return build(configuration());
    }

    /** The network as saved (weights and updater state), or as the configuration initialises it. */
    Model originalNet() {
        return zip.isPresent() ? restore(zip.get()) : build(configuration());
    }

    private static Model build(Object conf) {
        if (conf instanceof MultiLayerConfiguration m) {
            MultiLayerNetwork n = new MultiLayerNetwork(m);
            n.init();
            return n;
        }
        ComputationGraph g = new ComputationGraph((ComputationGraphConfiguration) conf);
        g.init();
        return g;
    }

    private static Model restore(Path zip) {
        try {
            String json = zipConfiguration(zip);
            return isGraphJson(new ObjectMapper().readTree(json)) ? ComputationGraph.load(zip.toFile(), true)
                    : MultiLayerNetwork.load(zip.toFile(), true);
        } catch (IOException e) {
            throw new BadInputException("--model cannot be read: " + zip + " (" + e.getMessage() + ")");
        }
    }

    // ---------------------------------------------------------------------------------------------------- loading

    static CheckModel load(Path path, List<ShapeOption> shapes, int timeSteps) {
        return load(path, shapes, timeSteps, unbuilt -> { });
    }

    /**
     * Loads the model; {@code admit} sees it parsed (configuration and inputs, no outputs yet) before any network is
     * built or run, and throws a {@link BadInputException} to refuse what will not fit.
     */
    static CheckModel load(Path path, List<ShapeOption> shapes, int timeSteps,
                           Consumer<CheckModel> admit) {
        if (!Files.isRegularFile(path)) {
            throw new BadInputException("--model file not found: " + path.toAbsolutePath());
        }
        boolean isZip = startsWithZipMagic(path);
        String text = isZip ? zipConfiguration(path) : readText(path);
        String what = isZip ? "--model " + path + " (configuration.json inside the zip)" : "--model " + path;
        JsonNode tree;
        try {
            tree = new ObjectMapper().readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new BadInputException("--model is not valid JSON: " + path + " (" + firstLine(e.getOriginalMessage())
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()) + ")");
        }
        CheckBudget.checkLayerCount(path, tree);
        Object conf;
        if (tree != null && tree.isObject() && tree.has("confs")) {
            MultiLayerConfiguration m = parse(what, () -> MultiLayerConfiguration.fromJson(text),
                    "MultiLayerConfiguration");
            if (m.getConfs().isEmpty()) {
                throw new BadInputException("--model has no layers: " + path);
            }
            conf = m;
        } else if (isGraphJson(tree)) {
            conf = parse(what, () -> ComputationGraphConfiguration.fromJson(text), "ComputationGraphConfiguration");
        } else {
            throw new BadInputException("--model is not a DL4J MultiLayerConfiguration or "
                    + "ComputationGraphConfiguration JSON (no \"confs\" or \"vertices\" field), nor a model zip saved by ModelSerializer: " + path);
        }
        List<InputSpec> inputs = conf instanceof MultiLayerConfiguration m ? List.of(mlnInput(m, shapes, timeSteps))
                : graphInputs((ComputationGraphConfiguration) conf, shapes, timeSteps);
        CheckModel model = new CheckModel(conf, isZip ? Optional.of(path) : Optional.empty(), inputs, List.of());
        admit.accept(model);
        Model probe;
        try {
            probe = model.originalNet();
        } catch (BadInputException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BadInputException("--model cannot be built into a network: " + path + " (" + firstLine(e) + ")");
        }
        return new CheckModel(conf, model.zip, inputs, outputs(conf, probe, inputs));
    }

    private static boolean isGraphJson(JsonNode tree) {
        return tree != null && tree.isObject() && tree.has("vertices");
    }

    private static boolean startsWithZipMagic(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] head = in.readNBytes(4);
            return head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
        } catch (IOException e) {
            throw new BadInputException("--model cannot be read: " + path + " (" + e.getMessage() + ")");
        }
    }

    private static String readText(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new BadInputException("--model cannot be read as UTF-8 text: " + path + " (" + e.getMessage() + ")");
        }
    }

    /** The {@code configuration.json} entry that {@code ModelSerializer} writes into every model zip. */
    private static String zipConfiguration(Path path) {
        try (ZipFile zip = new ZipFile(path.toFile())) {
            ZipEntry entry = zip.getEntry("configuration.json");
            if (entry == null) {
                throw new BadInputException("--model is a zip file but not a DL4J model saved by ModelSerializer "
                        + "(no configuration.json entry): " + path);
            }
            if (entry.getSize() > 64L << 20) {
                throw new BadInputException("--model: configuration.json in the zip is larger than 64 MiB: " + path);
            }
            try (InputStream in = zip.getInputStream(entry)) {
                return new String(in.readNBytes(64 << 20), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new BadInputException("--model is not a readable zip file: " + path + " (" + e.getMessage() + ")");
        }
    }

    // ---------------------------------------------------------------------------------------------------- inputs

    private static InputSpec mlnInput(MultiLayerConfiguration conf, List<ShapeOption> shapes, int steps) {
        for (ShapeOption s : shapes) {
            if (s.input().isPresent() && !s.input().get().equals("input")) {
                throw new BadInputException("--input-shape names input '" + s.input().get() + "' but a "
                        + "MultiLayerNetwork has one unnamed input; give --input-shape " + joinDims(s.dims()));
            }
        }
        if (shapes.size() > 1) {
            throw new BadInputException("--input-shape is given " + shapes.size() + " times but a MultiLayerNetwork "
                    + "has one input");
        }
        Optional<ShapeOption> given = shapes.stream().findFirst();
        Layer first = conf.getConf(0).getLayer();
        return fromLayer("input", "layer 0 '" + first.getLayerName() + "' (" + first.getClass().getSimpleName() + ")",
                first, conf.getInputPreProcess(0), given, steps);
    }

    private static List<InputSpec> graphInputs(ComputationGraphConfiguration conf, List<ShapeOption> shapes,
                                               int steps) {
        List<String> names = conf.getNetworkInputs();
        Map<String, ShapeOption> byInput = new LinkedHashMap<>();
        List<ShapeOption> unnamed = new ArrayList<>();
        for (ShapeOption s : shapes) {
            if (s.input().isEmpty()) {
                unnamed.add(s);
            } else if (!names.contains(s.input().get())) {
                throw new BadInputException("--input-shape names input '" + s.input().get() + "' but the graph's "
                        + "inputs are " + names);
            } else if (byInput.put(s.input().get(), s) != null) {
                throw new BadInputException("--input-shape is given twice for input '" + s.input().get() + "'");
            }
        }
        if (!unnamed.isEmpty()) {
            if (names.size() > 1 || unnamed.size() > 1) {
                throw new BadInputException("--input-shape must name the input (name=H,W,C) when the graph has "
                        + names.size() + " inputs " + names);
            }
            byInput.put(names.get(0), unnamed.get(0));
        }
        List<InputSpec> specs = new ArrayList<>();
        for (String in : names) {
            specs.add(graphInput(conf, in, Optional.ofNullable(byInput.get(in)), steps));
        }
        return specs;
    }

    private static InputSpec graphInput(ComputationGraphConfiguration conf, String in, Optional<ShapeOption> given,
                                        int steps) {
        // the first layer reached from the input decides the kind; a direct consumer also gives nIn
        Deque<String> queue = new ArrayDeque<>(List.of(in));
        Set<String> seen = new HashSet<>();
        boolean direct = true;
        while (!queue.isEmpty()) {
            List<String> next = new ArrayList<>();
            for (String from : queue) {
                for (Map.Entry<String, List<String>> e : conf.getVertexInputs().entrySet()) {
                    if (e.getValue().contains(from) && seen.add(e.getKey())) {
                        GraphVertex v = conf.getVertices().get(e.getKey());
                        if (v instanceof LayerVertex lv) {
                            Layer layer = lv.getLayerConf().getLayer();
                            String where = "vertex '" + e.getKey() + "' (" + layer.getClass().getSimpleName() + ")";
                            if (direct) {
                                return fromLayer(in, where, layer, lv.getPreProcessor(), given, steps);
                            }
                            if (given.isEmpty()) {
                                throw new BadInputException("--input-shape is needed for graph input '" + in
                                        + "': it feeds vertex '" + from + "', not a layer with nIn; give --input-shape "
                                        + in + "=N (values per example or per time step) or " + in + "=H,W,C");
                            }
                            return fromLayer(in, where, layer, null, given, steps);
                        }
                        next.add(e.getKey());
                    }
                }
            }
            queue = new ArrayDeque<>(next);
            direct = false;
        }
        throw new BadInputException("--model: no layer reads the graph input '" + in + "'");
    }

    private static InputSpec fromLayer(String input, String where, Layer layer, InputPreProcessor pre,
                                       Optional<ShapeOption> given, int steps) {
        if (pre instanceof FeedForwardToCnnPreProcessor p) {
            InputSpec spec = InputSpec.convolutionalFlat(input, p.getInputHeight(), p.getInputWidth(),
                    p.getNumChannels());
            if (given.isPresent() && !sameImage(given.get(), spec)) {
                throw new BadInputException("--input-shape " + given.get() + " differs from the shape the "
                        + "configuration keeps for input '" + input + "': " + spec.describe());
            }
            return spec;
        }
        Layer inner = unwrap(layer);
        if (inner instanceof EmbeddingLayer || inner instanceof EmbeddingSequenceLayer) {
            throw new BadInputException("--model: input '" + input + "' feeds " + where + ", which takes integer "
                    + "indices; check trains on real-valued inputs only");
        }
        if (inner instanceof Convolution3D) {
            throw new BadInputException("--model: input '" + input + "' feeds " + where + " (3D convolution); check "
                    + "supports feed-forward, recurrent and 2D convolutional inputs");
        }
        long nIn = inner instanceof FeedForwardLayer f ? f.getNIn() : 0;
        if (inner instanceof Convolution1DLayer c1) {
            return recurrent(input, where, nIn, given, steps, c1.getRnnDataFormat() == RNNFormat.NWC);
        }
        if (inner instanceof BaseRecurrentLayer r) {
            return recurrent(input, where, nIn, given, steps, r.getRnnDataFormat() == RNNFormat.NWC);
        }
        boolean image = inner instanceof ConvolutionLayer || inner instanceof SubsamplingLayer;
        if (given.isPresent() && given.get().isImage()) {
            long[] d = given.get().dims();
            if (inner instanceof ConvolutionLayer c && c.getNIn() > 0 && c.getNIn() != d[2]) {
                throw new BadInputException("--input-shape " + given.get() + " gives " + d[2] + " channels but "
                        + where + " takes " + c.getNIn());
            }
            return InputSpec.convolutional(input, d[0], d[1], d[2], channelsLast(inner));
        }
        if (image) {
            throw new BadInputException("--model lacks the input shape of input '" + input + "': " + where
                    + " needs the image height, width and channels, which DL4J's JSON does not keep; give "
                    + "--input-shape H,W,C" + (input.equals("input") ? "" : " (or " + input + "=H,W,C)")
                    + ", e.g. --input-shape 28,28,1");
        }
        if (given.isPresent()) {
            long n = given.get().dims()[0];
            if (nIn > 0 && n != nIn) {
                throw new BadInputException("--input-shape " + given.get() + " differs from the " + nIn
                        + " inputs of " + where);
            }
            return InputSpec.feedForward(input, n);
        }
        if (nIn <= 0) {
            throw new BadInputException("--model lacks the input shape of input '" + input + "': " + where
                    + " has no nIn; give --input-shape N (or H,W,C for images)");
        }
        return InputSpec.feedForward(input, nIn);
    }

    private static InputSpec recurrent(String input, String where, long nIn, Optional<ShapeOption> given, int steps,
                                       boolean nwc) {
        long size = nIn;
        if (given.isPresent()) {
            if (given.get().isImage()) {
                throw new BadInputException("--input-shape " + given.get() + " is an image shape but " + where
                        + " is recurrent; give N (values per time step) and --time-steps");
            }
            size = given.get().dims()[0];
            if (nIn > 0 && size != nIn) {
                throw new BadInputException("--input-shape " + given.get() + " differs from the " + nIn
                        + " inputs per time step of " + where);
            }
        }
        if (size <= 0) {
            throw new BadInputException("--model lacks the input size of input '" + input + "': " + where
                    + " has no nIn; give --input-shape N (values per time step)");
        }
        return InputSpec.recurrent(input, size, steps, nwc);
    }

    private static boolean sameImage(ShapeOption s, InputSpec spec) {
        long[] d = s.dims();
        return d.length == 3 ? d[0] == spec.height() && d[1] == spec.width() && d[2] == spec.channels()
                : d[0] == spec.size();
    }

    private static boolean channelsLast(Layer inner) {
        if (inner instanceof ConvolutionLayer c) {
            return c.getCnn2dDataFormat() == CNN2DFormat.NHWC;
        }
        if (inner instanceof SubsamplingLayer s) {
            return s.getCnn2dDataFormat() == CNN2DFormat.NHWC;
        }
        return false;
    }

    static Layer unwrap(Layer layer) {
        Layer inner = layer;
        while (true) {
            if (inner instanceof BaseWrapperLayer w) {
                inner = w.getUnderlying();
            } else if (inner instanceof Bidirectional b) {
                inner = b.getFwd();
            } else {
                return inner;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------- outputs

    /** A forward pass on two random examples: proves the input shapes fit and gives every output's shape. */
    private static List<OutputSpec> outputs(Object conf, Model net, List<InputSpec> inputs) {
        INDArray[] x = new INDArray[inputs.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = Nd4j.rand(DataType.FLOAT, inputs.get(i).shape(2));
        }
        INDArray[] y;
        try {
            y = net instanceof MultiLayerNetwork m ? new INDArray[] {m.output(x[0])}
                    : ((ComputationGraph) net).output(false, x);
        } catch (RuntimeException e) {
            StringBuilder shapes = new StringBuilder();
            for (InputSpec in : inputs) {
                shapes.append(shapes.length() == 0 ? "" : "; ").append(in.name()).append(": ").append(in.describe());
            }
            throw new BadInputException("the input shape does not fit the model (" + shapes + "): " + firstLine(e)
                    + "; give the right --input-shape" + (inputs.stream().anyMatch(
                    in -> in.kind() == InputSpec.Kind.RECURRENT) ? " / --time-steps" : ""));
        }
        List<OutputSpec> specs = new ArrayList<>();
        List<String> names = conf instanceof MultiLayerConfiguration ? List.of("output")
                : ((ComputationGraphConfiguration) conf).getNetworkOutputs();
        for (int i = 0; i < y.length; i++) {
            Layer layer = outputLayer(conf, names.get(i));
            long[] shape = Arrays.copyOfRange(y[i].shape(), 1, y[i].rank());
            long[] full = new long[shape.length + 1];
            full[0] = -1;
            System.arraycopy(shape, 0, full, 1, shape.length);
            specs.add(new OutputSpec(names.get(i), full, range(layer), classAxis(layer, full.length),
                    layer == null ? "vertex" : layer.getClass().getSimpleName()));
        }
        return specs;
    }

    private static Layer outputLayer(Object conf, String name) {
        if (conf instanceof MultiLayerConfiguration m) {
            return m.getConf(m.getConfs().size() - 1).getLayer();
        }
        GraphVertex v = ((ComputationGraphConfiguration) conf).getVertices().get(name);
        return v instanceof LayerVertex lv ? lv.getLayerConf().getLayer() : null;
    }

    private static Range range(Layer layer) {
        IActivation a = layer instanceof BaseLayer b ? b.getActivationFn() : null;
        if (a instanceof ActivationSoftmax) {
            return Range.PROBABILITIES;
        }
        if (a instanceof ActivationSigmoid || a instanceof ActivationHardSigmoid) {
            return Range.ZERO_ONE;
        }
        if (a instanceof ActivationTanH || a instanceof ActivationHardTanH) {
            return Range.MINUS_ONE_ONE;
        }
        if (a instanceof ActivationReLU || a instanceof ActivationReLU6 || a instanceof ActivationSoftPlus) {
            return Range.NON_NEGATIVE;
        }
        return Range.ANY;
    }

    private static int classAxis(Layer layer, int rank) {
        if (rank == 3 && layer instanceof RnnOutputLayer r && r.getRnnDataFormat() == RNNFormat.NWC) {
            return 2;
        }
        if (rank == 4 && layer instanceof CnnLossLayer c && c.getFormat() == CNN2DFormat.NHWC) {
            return 3;
        }
        return 1;
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    private interface Parse<T> {
        T get();
    }

    private static <T> T parse(String what, Parse<T> parse, String kind) {
        try {
            return parse.get();
        } catch (RuntimeException e) {
            throw new BadInputException(what + " looks like a " + kind + " but DL4J cannot read it (" + firstLine(e)
                    + ")");
        }
    }

    private static String joinDims(long[] dims) {
        StringBuilder b = new StringBuilder();
        for (long d : dims) {
            b.append(b.length() == 0 ? "" : ",").append(d);
        }
        return b.toString();
    }

    static String firstLine(String s) {
        if (s == null) {
            return "no details";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
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
