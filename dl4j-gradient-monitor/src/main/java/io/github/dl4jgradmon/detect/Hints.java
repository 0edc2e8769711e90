package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.stats.LayerGradientStats;

import java.util.Collection;
import java.util.Set;

/**
 * The fixes alerts suggest, written as DL4J configuration. A hint never tells a layer to use what it already uses:
 * where the fix depends on the layers' activation (ReLU against sigmoid/tanh), {@link #vanishing} and
 * {@link #stalled} read it from {@link LayerGradientStats#activation()}.
 */
final class Hints {

    /** Activations of the ReLU family: they do not saturate for positive inputs, their units can die. */
    static final Set<String> RELU_FAMILY = Set.of("relu", "relu6", "leakyrelu", "rrelu", "elu", "selu", "gelu",
            "swish", "mish", "thresholdedrelu", "prelu");

    /** Activations that squash into a bounded range and pass back little gradient beyond it. */
    static final Set<String> SQUASHING = Set.of("sigmoid", "tanh", "hardsigmoid", "hardtanh", "softsign",
            "rationaltanh", "rectifiedtanh");

    private Hints() {
    }

    /** What the activations of {@code layers} say about a fix: any sigmoid/tanh, else any ReLU, else nothing. */
    enum Activations {
        SQUASHING, RELU, UNKNOWN;

        static Activations of(Collection<LayerGradientStats> layers) {
            boolean relu = false;
            for (LayerGradientStats l : layers) {
                if (Hints.SQUASHING.contains(l.activation())) {
                    return SQUASHING;
                }
                relu |= RELU_FAMILY.contains(l.activation());
            }
            return relu ? RELU : UNKNOWN;
        }
    }

    /** The VANISHING hint for these vanishing layers. */
    static String vanishing(Collection<LayerGradientStats> layers) {
        return switch (Activations.of(layers)) {
            case SQUASHING -> VANISHING;
            case RELU -> VANISHING_RELU;
            case UNKNOWN -> VANISHING_OTHER;
        };
    }

    /** The STALLED hint (tiny gradients everywhere) for a model with these layers. */
    static String stalled(Collection<LayerGradientStats> layers) {
        return Activations.of(layers) == Activations.RELU ? STALLED_RELU : STALLED;
    }

    static final String NON_FINITE = "lower the learning rate (e.g. .updater(new Adam(1e-4))), clip with "
            + ".gradientNormalization(GradientNormalization.ClipL2PerLayer).gradientNormalizationThreshold(1.0), "
            + "check the input data for NaN/Inf, or skip such steps with GradientMonitor.builder()"
            + ".skipNonFiniteSteps(true)";

    static final String EXPLODING = "clip with .gradientNormalization(GradientNormalization.ClipL2PerLayer)"
            + ".gradientNormalizationThreshold(1.0), lower the learning rate ten-fold (e.g. .updater(new Adam(lr / 10)))"
            + ", or clip the global norm with GradientMonitor.builder().clipping(GradientClipping.globalNorm(5.0))";

    static final String NORMALIZE_INPUTS = "normalize the input features first (e.g. NormalizerStandardize fitted on "
            + "the training data, or divide pixels by 255): the first layer's gradient carries the inputs' scale";

    static final String EXPLODING_SPIKE = "nothing to do for one spike; if spikes repeat, check those minibatches for "
            + "outliers or bad labels, or clip with GradientMonitor.builder().clipping(GradientClipping.zClip())";

    static final String NO_GRADIENT = "check that the loss depends on the parameters (a detached or constant output, "
            + "labels that do not match the output), look for dead ReLU units (.activation(Activation.LEAKYRELU), "
            + ".weightInit(WeightInit.RELU), a lower learning rate such as .updater(new Adam(1e-3))) and for frozen or "
            + "zero-initialized layers (.weightInit(WeightInit.ZERO))";

    static final String STALLED = "use .activation(Activation.RELU).weightInit(WeightInit.RELU) (or add "
            + ".layer(new BatchNormalization.Builder().build())) instead of deep sigmoid/tanh stacks, check the initial "
            + "weights' scale (.weightInit(WeightInit.XAVIER)), raise the learning rate (.updater(new Adam(1e-3))), "
            + "and check that the labels carry signal";

    static final String STALLED_RELU = "the network uses ReLU already: look for dead units (a learning rate too high "
            + "kills them: lower it, e.g. .updater(new Adam(lr / 10))), add .layer(new BatchNormalization.Builder()"
            + ".build()) between layers or residual connections, check the initial weights' scale "
            + "(.weightInit(WeightInit.RELU)), and check that the labels carry signal";

    static final String NOT_LEARNING = "check the minibatch composition (shuffle the examples every epoch: minibatches "
            + "of one class each undo each other's steps; DataSetIterator with a shuffled list, or "
            + "DataSet.shuffle(seed)), lower the learning rate (e.g. .updater(new Adam(lr / 10))), use minibatches of "
            + "32 or more with .layer(new BatchNormalization.Builder().build()) (its statistics over a small or "
            + "one-class minibatch are noise), and check that the labels match the features";

    static final String EXPLODING_RATIO = "normalize the input features (e.g. NormalizerStandardize), clip with "
            + ".gradientNormalization(GradientNormalization.ClipL2PerLayer).gradientNormalizationThreshold(1.0), or "
            + "lower the learning rate (e.g. .updater(new Adam(lr / 10)))";

    static final String VANISHING = "use .activation(Activation.RELU).weightInit(WeightInit.RELU) instead of "
            + "sigmoid/tanh in the early layers, or add .layer(new BatchNormalization.Builder().build()) between them";

    static final String VANISHING_RELU = "these layers use ReLU already: look for dead units (DEAD_UNITS; a learning "
            + "rate too high kills them: lower it, e.g. .updater(new Adam(lr / 10))), add .layer(new "
            + "BatchNormalization.Builder().build()) between them or residual connections (ElementWiseVertex(Add) in a "
            + "ComputationGraph), and check the initial weights' scale (.weightInit(WeightInit.RELU))";

    static final String VANISHING_OTHER = "where early layers use sigmoid/tanh, use .activation(Activation.RELU)"
            + ".weightInit(WeightInit.RELU); add .layer(new BatchNormalization.Builder().build()) between the early "
            + "layers or residual connections (ElementWiseVertex(Add) in a ComputationGraph), and check the initial "
            + "weights' scale";

    static final String DEAD_UNITS = "use .activation(Activation.LEAKYRELU) (or ELU/SELU), .weightInit(WeightInit.RELU) "
            + "with a lower learning rate (e.g. .updater(new Adam(lr / 10))), or add "
            + ".layer(new BatchNormalization.Builder().build()) before the activation";

    static final String DEAD_UNITS_AFTER_BLOW_UP = "lower the learning rate ten-fold (e.g. .updater(new Adam(lr / 10))"
            + ") or warm it up (e.g. .updater(new Adam(new MapSchedule(ScheduleType.ITERATION, ...)))), and clip with "
            + ".gradientNormalization(GradientNormalization.ClipL2PerLayer); then re-initialize the network: the dead "
            + "units do not come back. .activation(Activation.LEAKYRELU) keeps units from dying for good";

    static final String SATURATION = "normalize the input features (e.g. NormalizerStandardize), use smaller initial "
            + "weights (.weightInit(WeightInit.XAVIER)), lower the learning rate, or use "
            + ".activation(Activation.RELU).weightInit(WeightInit.RELU) or add .layer(new BatchNormalization.Builder()"
            + ".build()) before the activation";

    static final String UPDATE_RATIO_HIGH = "lower the learning rate (e.g. .updater(new Adam(lr / 10))) or clip with "
            + ".gradientNormalization(GradientNormalization.ClipL2PerLayer); log10(update/param) near -3 is healthy";

    static final String UPDATE_RATIO_LOW = "raise the learning rate (e.g. .updater(new Adam(lr * 10))) or check the "
            + "layer's .updater(...) and .l2(...); log10(update/param) near -3 is healthy";

    static final String LOSS_SPIKE_SMALL = "nothing to do while spikes stay small next to what the run learned; if they "
            + "grow, check those minibatches for outliers and bad labels, or lower the learning rate (e.g. "
            + ".updater(new Adam(lr / 10)))";

    static final String LOSS_SPIKE = "if spikes repeat, lower the learning rate (e.g. .updater(new Adam(lr / 10))), "
            + "clip with .gradientNormalization(GradientNormalization.ClipL2PerLayer), or check the minibatch for "
            + "outliers and bad labels";
}
