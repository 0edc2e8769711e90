package io.github.dl4jgradmon.cli.check;

import com.fasterxml.jackson.databind.JsonNode;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryUseMode;
import org.nd4j.linalg.api.buffer.DataType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a check will cost, estimated from the configuration before any network is built, so that what cannot fit is
 * refused at once with one line naming the option and the limit, instead of running for minutes and then failing.
 * Three limits: the number of layers (linting, building and training grow with it), the parameters (parameters,
 * gradients, updater state and the monitor's copies must fit in the heap), and one training step at the given batch
 * size and sequence length (DL4J's own memory report of the configuration).
 */
final class CheckBudget {

    /** Layers (MultiLayerNetwork) or vertices (ComputationGraph) a check accepts: about 10x ResNet50's. */
    static final int MAX_LAYERS = 2_000;
    /**
     * Training bytes per parameter: the parameters, their gradients, up to two updater states (Adam), and the copies
     * of parameters and updater state a skipped step restores, in 4-byte floats.
     */
    static final int BYTES_PER_PARAMETER = 6 * Float.BYTES;

    private CheckBudget() {
    }

    /** Refuses a configuration JSON with more than {@link #MAX_LAYERS} layers, before DL4J parses it. */
    static void checkLayerCount(Path path, JsonNode tree) {
        if (tree == null || !tree.isObject()) {
            return;
        }
        JsonNode layers = tree.has("confs") ? tree.get("confs") : tree.get("vertices");
        if (layers != null && layers.size() > MAX_LAYERS) {
            throw new BadInputException(String.format(Locale.ROOT, "--model %s has %d %s, more than the %d a check "
                            + "accepts (linting, building and training grow with them: minutes and gigabytes at this "
                            + "size); check a smaller part of the model", path, layers.size(),
                    tree.has("confs") ? "layers" : "vertices", MAX_LAYERS));
        }
    }

    /** Parameters of the configuration, counted without allocating them; 0 for layers DL4J cannot count. */
    static long parameters(Object conf) {
        long n = 0;
        for (Layer layer : layers(conf)) {
            try {
                n += layer.initializer().numParams(layer);
            } catch (RuntimeException e) {
                // a layer DL4J cannot count before init: left out of the estimate
            }
        }
        return n;
    }

    private static List<Layer> layers(Object conf) {
        List<Layer> layers = new ArrayList<>();
        if (conf instanceof MultiLayerConfiguration m) {
            for (NeuralNetConfiguration c : m.getConfs()) {
                layers.add(c.getLayer());
            }
        } else if (conf instanceof ComputationGraphConfiguration g) {
            for (GraphVertex v : g.getVertices().values()) {
                if (v instanceof LayerVertex lv && lv.getLayerConf() != null) {
                    layers.add(lv.getLayerConf().getLayer());
                }
            }
        }
        return layers;
    }

    /** Refuses a model whose parameters, with their gradients and updater state, do not fit in {@code heap}. */
    static void checkParameters(Path path, long parameters, long heap) {
        double need = (double) parameters * BYTES_PER_PARAMETER;
        if (need > heap) {
            throw new BadInputException(String.format(Locale.ROOT, "--model %s has %,d parameters: about %s for "
                            + "parameters, gradients, updater state and the monitor's copies (%d bytes each), more "
                            + "than this JVM's heap (%s, -Xmx); give the JVM more heap or check a smaller model", path,
                    parameters, bytes(need), BYTES_PER_PARAMETER, bytes(heap)));
        }
    }

    /** DL4J's own estimate of one training step at this batch size; 0 when DL4J cannot estimate this model. */
    static double trainingBytes(Object conf, List<InputSpec> inputs, int batch) {
        InputType[] types = new InputType[inputs.size()];
        for (int i = 0; i < types.length; i++) {
            InputSpec in = inputs.get(i);
            types[i] = switch (in.kind()) {
                case FEED_FORWARD -> InputType.feedForward(in.size());
                case RECURRENT -> InputType.recurrent(in.size(), in.steps());
                case CONVOLUTIONAL -> InputType.convolutional(in.height(), in.width(), in.channels());
                case CONVOLUTIONAL_FLAT -> InputType.convolutionalFlat(in.height(), in.width(), in.channels());
            };
        }
        try {
            MemoryReport report = conf instanceof MultiLayerConfiguration mln ? mln.getMemoryReport(types[0])
                    : ((ComputationGraphConfiguration) conf).getMemoryReport(types);
            return report.getTotalMemoryBytes(batch, MemoryUseMode.TRAINING, CacheMode.NONE, DataType.FLOAT);
        } catch (RuntimeException e) {
            return 0; // some layers have no memory report; the out-of-memory line covers them
        }
    }

    /** Refuses a training step that does not fit in {@code heap}, naming --batch (and --time-steps for sequences). */
    static void checkTraining(double need, int batch, List<InputSpec> inputs, long heap) {
        if (need > heap) {
            throw new BadInputException(String.format(Locale.ROOT, "%s needs about %s for one training step (DL4J's "
                    + "memory report: activations, gradients, workspaces), more than this JVM's heap (%s, -Xmx); "
                    + "lower %s", options(batch, inputs), bytes(need), bytes(heap), lower(inputs)));
        }
    }

    /** {@code --batch 32} or {@code --batch 32 with --time-steps 100000} when an input is a sequence. */
    static String options(int batch, List<InputSpec> inputs) {
        for (InputSpec in : inputs) {
            if (in.kind() == InputSpec.Kind.RECURRENT) {
                return "--batch " + batch + " with --time-steps " + in.steps();
            }
        }
        return "--batch " + batch;
    }

    static String lower(List<InputSpec> inputs) {
        return inputs.stream().anyMatch(in -> in.kind() == InputSpec.Kind.RECURRENT) ? "--batch or --time-steps"
                : "--batch";
    }

    static String bytes(double b) {
        return b >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GiB", b / (1L << 30))
                : String.format(Locale.ROOT, "%.1f MiB", b / (1L << 20));
    }
}
