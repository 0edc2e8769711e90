package io.github.dl4jgradmon.cli.check;

import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.cli.check.CheckModel.OutputSpec;
import io.github.dl4jgradmon.cli.check.ConfigLayers.Entry;
import io.github.dl4jgradmon.internal.util.Text;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitXavier;
import org.deeplearning4j.nn.weights.WeightInitXavierLegacy;
import org.deeplearning4j.nn.weights.WeightInitXavierUniform;
import org.deeplearning4j.util.OutputLayerUtil;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.ILossFunction;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The static lint: rules over the configuration (and, with {@code --data}, over the data) that run in milliseconds,
 * before any training. Each rule yields findings with a severity, where, what and the fix.
 */
final class Lint {

    /** Sigmoid/tanh layers in one model from which on the stack counts as deep. */
    static final int DEEP_SATURATING_LAYERS = 4;
    /** ReLU layers with a Xavier init from which on the lint speaks up. */
    static final int RELU_XAVIER_LAYERS = 2;
    /** Ratio of the largest to the smallest feature standard deviation that counts as wildly different scales. */
    static final double SCALE_RATIO = 100;
    /** Ratio of the most to the least frequent class that counts as imbalanced. */
    static final double IMBALANCE_RATIO = 10;

    /** One lint finding. {@code rule} is a stable identifier (tests and the JSON use it). */
    record Finding(Severity severity, String rule, String where, String message, String fix) {
    }

    private Lint() {
    }

    // ------------------------------------------------------------------------------------------------ static

    static List<Finding> configuration(Object conf) {
        List<Entry> layers = ConfigLayers.of(conf);
        List<Finding> f = new ArrayList<>();
        outputLayers(layers, f);
        deepSaturating(conf, layers, f);
        defaultActivation(layers, f);
        reluXavier(layers, f);
        learningRates(layers, f);
        return f;
    }

    /** What DL4J's {@code OutputLayerUtil} rejects at build time, as findings (a JSON can carry it unvalidated). */
    private static void outputLayers(List<Entry> layers, List<Finding> f) {
        for (Entry e : layers) {
            Layer l = e.layer();
            if (!(l instanceof BaseOutputLayer) && !(l instanceof LossLayer)) {
                continue;
            }
            try {
                OutputLayerUtil.validateOutputLayer(e.name(), l);
            } catch (RuntimeException ex) { // IllegalStateException or DL4JInvalidConfigException
                f.add(new Finding(Severity.CRITICAL, "OUTPUT_LAYER", e.name(), firstSentence(ex.getMessage()),
                        outputFix(l)));
            }
        }
    }

    private static String outputFix(Layer l) {
        IActivation a = l instanceof BaseLayer b ? b.getActivationFn() : null;
        ILossFunction loss = l instanceof BaseOutputLayer o ? o.getLossFn() : ((LossLayer) l).getLossFn();
        long nOut = l instanceof BaseOutputLayer o ? o.getNOut() : 0;
        if (nOut == 1 && a != null && a.getClass().getSimpleName().equals("ActivationSoftmax")) {
            return "a single binary output needs .activation(Activation.SIGMOID) with LossFunction.XENT (or nOut(2) "
                    + "with softmax and MCXENT)";
        }
        if (loss != null && OutputLayerUtil.lossFunctionExpectsProbability(loss)) {
            return "this loss expects probabilities: use .activation(Activation.SOFTMAX) (MCXENT) or "
                    + ".activation(Activation.SIGMOID) (XENT)";
        }
        return "match the output activation to the loss function (softmax + MCXENT, sigmoid + XENT, identity + MSE)";
    }

    private static void deepSaturating(Object conf, List<Entry> layers, List<Finding> f) {
        List<Entry> sat = layers.stream().filter(e -> e.hiddenWithActivation() && e.saturating()).toList();
        if (sat.size() < DEEP_SATURATING_LAYERS || ConfigLayers.hasBatchNormalization(conf)) {
            return;
        }
        f.add(new Finding(Severity.WARNING, "DEEP_SATURATING", span(sat),
                sat.size() + " sigmoid/tanh layers without BatchNormalization: each shrinks the gradient on the way "
                        + "back (sigmoid by up to 4x), so the early layers barely learn",
                ".activation(Activation.RELU).weightInit(WeightInit.RELU) on the hidden layers, or a "
                        + "BatchNormalization layer after each (--try-fixes tries both)"));
    }

    /**
     * DL4J's global default activation is sigmoid: a layer built without {@code .activation(...)} carries it. A
     * sigmoid hidden layer next to hidden layers with another non-linear activation, or a sigmoid convolution, was
     * almost always left at the default.
     */
    private static void defaultActivation(List<Entry> layers, List<Finding> f) {
        List<Entry> hidden = layers.stream().filter(Entry::hiddenWithActivation).toList();
        boolean othersChosen = hidden.stream().anyMatch(e -> e.activation() != null
                && !(e.activation() instanceof ActivationSigmoid) && !(e.activation() instanceof ActivationIdentity));
        List<Entry> suspects = hidden.stream().filter(e -> e.activation() instanceof ActivationSigmoid
                && (othersChosen || CheckModel.unwrap(e.layer()) instanceof ConvolutionLayer)).toList();
        if (suspects.isEmpty()) {
            return;
        }
        f.add(new Finding(Severity.WARNING, "DEFAULT_ACTIVATION", names(suspects),
                (suspects.size() == 1 ? "this layer carries" : suspects.size() + " layers carry") + " sigmoid, DL4J's "
                        + "global default activation, " + (othersChosen ? "while the other hidden layers use "
                        + otherActivation(hidden) : "on a convolution") + ": .activation(...) was probably never set",
                "set .activation(Activation.RELU).weightInit(WeightInit.RELU) on " + (suspects.size() == 1 ? "it"
                        : "them") + ", or a global .activation(...) on the NeuralNetConfiguration.Builder"));
    }

    private static String otherActivation(List<Entry> hidden) {
        return hidden.stream().map(Entry::activation).filter(a -> a != null && !(a instanceof ActivationSigmoid)
                && !(a instanceof ActivationIdentity)).map(Lint::activationName).findFirst().orElse("another");
    }

    private static void reluXavier(List<Entry> layers, List<Finding> f) {
        List<Entry> hits = layers.stream().filter(e -> e.hiddenWithActivation() && e.reluFamily()
                && isXavier(weightInit(e.layer()))).toList();
        if (hits.size() < RELU_XAVIER_LAYERS) {
            return;
        }
        f.add(new Finding(Severity.WARNING, "RELU_XAVIER", names(hits),
                hits.size() + " ReLU layers with a Xavier init: Xavier assumes a symmetric activation, so each ReLU "
                        + "layer halves the signal's variance and deep stacks start with shrinking gradients",
                ".weightInit(WeightInit.RELU) (He) on ReLU layers"));
    }

    private static IWeightInit weightInit(Layer l) {
        Layer inner = CheckModel.unwrap(l);
        return inner instanceof BaseLayer b ? b.getWeightInitFn() : null;
    }

    private static boolean isXavier(IWeightInit w) {
        return w instanceof WeightInitXavier || w instanceof WeightInitXavierUniform
                || w instanceof WeightInitXavierLegacy
                || (w != null && w.getClass().getSimpleName().startsWith("WeightInitXavier"));
    }

    /** The usual learning-rate range per updater; findings only far outside it. */
    record LrRange(double low, double high, String usual) {
    }

    static LrRange usualRange(IUpdater u) {
        String n = u.getClass().getSimpleName();
        return switch (n) {
            case "Adam", "AdamW", "Nadam", "AMSGrad", "AdaMax", "AdaBelief", "RmsProp" ->
                    new LrRange(1e-6, 0.05, "1e-4 .. 1e-2");
            case "Sgd", "Nesterovs", "AdaGrad" -> new LrRange(1e-5, 2.0, "1e-3 .. 0.5");
            default -> null;
        };
    }

    private static void learningRates(List<Entry> layers, List<Finding> f) {
        Map<String, List<Entry>> byUpdater = new LinkedHashMap<>();
        Map<String, IUpdater> updaters = new LinkedHashMap<>();
        for (Entry e : layers) {
            Layer inner = CheckModel.unwrap(e.layer());
            if (!(inner instanceof BaseLayer b) || b.getIUpdater() == null || !b.getIUpdater().hasLearningRate()) {
                continue;
            }
            IUpdater u = b.getIUpdater();
            String key = u.getClass().getSimpleName() + "@" + u.getLearningRate(0, 0);
            byUpdater.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
            updaters.putIfAbsent(key, u);
        }
        for (Map.Entry<String, List<Entry>> k : byUpdater.entrySet()) {
            IUpdater u = updaters.get(k.getKey());
            LrRange r = usualRange(u);
            double lr = u.getLearningRate(0, 0);
            if (r == null || (lr >= r.low() && lr <= r.high())) {
                continue;
            }
            boolean high = lr > r.high();
            String name = u.getClass().getSimpleName();
            f.add(new Finding(Severity.WARNING, "LEARNING_RATE", names(k.getValue()),
                    String.format(Locale.ROOT, "%s learning rate %s is far %s the usual %s", name, Text.significant(lr),
                            high ? "above" : "below", r.usual()),
                    high ? "lower it (new " + name + "(" + Text.significant(lr / 10) + ") or less; --try-fixes tries x0.1), or "
                            + "clip gradients" : "raise it towards " + r.usual()));
        }
    }

    // ------------------------------------------------------------------------------------------------ data

    static List<Finding> data(List<MultiDataSet> batches, InputSpec in, OutputSpec out) {
        List<Finding> f = new ArrayList<>();
        FeatureStats s = FeatureStats.of(batches, in);
        if (s.count() > 1) {
            scales(s, in, f);
        }
        labels(batches, out, f);
        return f;
    }

    private static void scales(FeatureStats s, InputSpec in, List<Finding> f) {
        String unit = in.isImage() ? "channel" : "feature";
        int lo = -1;
        int hi = -1;
        for (int j = 0; j < s.std().length; j++) {
            if (s.std()[j] > 0 && (lo < 0 || s.std()[j] < s.std()[lo])) {
                lo = j;
            }
            if (s.std()[j] > 0 && (hi < 0 || s.std()[j] > s.std()[hi])) {
                hi = j;
            }
        }
        if (lo >= 0 && s.std()[hi] / s.std()[lo] > SCALE_RATIO) {
            f.add(new Finding(Severity.WARNING, "DATA_SCALE", "input",
                    String.format(Locale.ROOT, "input %ss are on wildly different scales: %s %d has standard "
                            + "deviation %s, %s %d has %s (%.0fx)", unit, unit, hi, Text.significant(s.std()[hi]), unit, lo,
                            Text.significant(s.std()[lo]), s.std()[hi] / s.std()[lo]),
                    "normalize your inputs: --normalize standardize here, NormalizerStandardize in training"));
        }
        int worst = -1;
        double worstZ = 0;
        for (int j = 0; j < s.mean().length; j++) {
            double m = Math.abs(s.mean()[j]);
            double z = m / Math.max(s.std()[j], 1e-12);
            if (m > 1 && (z > 3 || (m > 10 && z > 1))) {
                if (worst < 0 || m > Math.abs(s.mean()[worst])) {
                    worst = j;
                    worstZ = z;
                }
            }
        }
        if (worst >= 0) {
            f.add(new Finding(Severity.WARNING, "DATA_OFFSET", "input",
                    String.format(Locale.ROOT, "inputs are far from zero mean: %s %d has mean %s and standard "
                            + "deviation %s%s", unit, worst, Text.significant(s.mean()[worst]), Text.significant(s.std()[worst]),
                            worstZ > 3 ? " (" + String.format(Locale.ROOT, "%.0f", worstZ) + " deviations off zero)"
                                    : ""),
                    "normalize your inputs: --normalize standardize (or minmax" + (in.isImage() ? ", pixels to 0..1"
                            : "") + ") here, the same ND4J normalizer in training"));
        }
    }

    private static void labels(List<MultiDataSet> batches, OutputSpec out, List<Finding> f) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        long[] counts = out.softmax() && out.rank() == 2 ? new long[(int) out.nOut()] : null;
        for (MultiDataSet b : batches) {
            INDArray y = b.getLabels(0);
            min = Math.min(min, y.minNumber().doubleValue());
            max = Math.max(max, y.maxNumber().doubleValue());
            if (counts != null) {
                INDArray sums = y.sum(0);
                for (int c = 0; c < counts.length; c++) {
                    counts[c] += Math.round(sums.getDouble(c));
                }
            }
        }
        boolean outside = switch (out.range()) {
            case PROBABILITIES, ZERO_ONE -> min < 0 || max > 1;
            case MINUS_ONE_ONE -> min < -1 || max > 1;
            case NON_NEGATIVE -> min < 0;
            case ANY -> false;
        };
        if (outside) {
            f.add(new Finding(Severity.CRITICAL, "LABEL_RANGE", out.name(),
                    String.format(Locale.ROOT, "labels range over [%s, %s] but the output layer (%s) can only "
                            + "produce %s: the loss can never reach them", Text.significant(min), Text.significant(max), out.layerType(),
                            out.range().text),
                    "scale the labels into " + out.range().text + ", or use .activation(Activation.IDENTITY) with "
                            + "LossFunction.MSE for unbounded regression targets"));
        }
        if (counts != null && counts.length > 1) {
            int lo = 0;
            int hi = 0;
            for (int c = 1; c < counts.length; c++) {
                lo = counts[c] < counts[lo] ? c : lo;
                hi = counts[c] > counts[hi] ? c : hi;
            }
            if (counts[lo] == 0 || (double) counts[hi] / counts[lo] > IMBALANCE_RATIO) {
                f.add(new Finding(Severity.WARNING, "CLASS_IMBALANCE", out.name(), counts[lo] == 0
                        ? String.format(Locale.ROOT, "class %d has no examples (class %d has %d)", lo, hi, counts[hi])
                        : String.format(Locale.ROOT, "classes are imbalanced: class %d has %d examples, class %d has "
                        + "%d (%.0f:1)", hi, counts[hi], lo, counts[lo], (double) counts[hi] / counts[lo]),
                        "weight the loss (new LossMCXENT(weights)) or resample the classes; watch per-class metrics, "
                                + "not accuracy"));
            }
        }
    }

    /** Per-feature (per-channel for images) mean and standard deviation over every example (and time step). */
    record FeatureStats(double[] mean, double[] std, long count) {

        static FeatureStats of(List<MultiDataSet> batches, InputSpec in) {
            int n = (int) (in.isImage() ? in.channels() : in.size());
            double[] sum = new double[n];
            double[] sq = new double[n];
            long count = 0;
            for (MultiDataSet b : batches) {
                INDArray x = b.getFeatures(0);
                INDArray rows = asRows(x, in);
                count += rows.rows();
                INDArray s = rows.sum(0);
                INDArray q = rows.mul(rows).sum(0);
                for (int j = 0; j < n; j++) {
                    sum[j] += s.getDouble(j);
                    sq[j] += q.getDouble(j);
                }
            }
            double[] mean = new double[n];
            double[] std = new double[n];
            for (int j = 0; j < n; j++) {
                mean[j] = count == 0 ? 0 : sum[j] / count;
                std[j] = count == 0 ? 0 : Math.sqrt(Math.max(0, sq[j] / count - mean[j] * mean[j]));
            }
            return new FeatureStats(mean, std, count);
        }

        /** [values, features]: images by channel, sequences by step. */
        private static INDArray asRows(INDArray x, InputSpec in) {
            INDArray d = x.castTo(DataType.DOUBLE);
            return switch (in.kind()) {
                case FEED_FORWARD -> d;
                case CONVOLUTIONAL_FLAT -> d.reshape('c', d.size(0), in.channels(), in.height() * in.width())
                        .permute(0, 2, 1).dup('c').reshape('c', -1, in.channels());
                case CONVOLUTIONAL -> (in.channelsLast() ? d : d.permute(0, 2, 3, 1)).dup('c')
                        .reshape('c', -1, in.channels());
                case RECURRENT -> (in.channelsLast() ? d : d.permute(0, 2, 1)).dup('c').reshape('c', -1, in.size());
            };
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static String span(List<Entry> es) {
        return es.size() == 1 ? es.get(0).name() : es.get(0).name() + " .. " + es.get(es.size() - 1).name();
    }

    private static String names(List<Entry> es) {
        List<String> n = es.stream().map(Entry::name).toList();
        return n.size() <= 4 ? String.join(", ", n) : String.join(", ", n.subList(0, 3)) + ", ... (" + n.size() + ")";
    }

    static String activationName(IActivation a) {
        return a.getClass().getSimpleName().replace("Activation", "").toLowerCase(Locale.ROOT);
    }

    private static String firstSentence(String s) {
        if (s == null) {
            return "DL4J rejects this output layer";
        }
        String t = s.replace('\n', ' ').replaceFirst("^Invalid output layer configuration for layer \"[^\"]*\": ", "");
        int dot = t.indexOf(". ");
        return dot < 0 ? t : t.substring(0, dot + 1);
    }

}
