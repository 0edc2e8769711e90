package io.github.dl4jgradmon.detect;

/** The fixes alerts suggest, written as DL4J configuration. */
final class Hints {

    private Hints() {
    }

    static final String NON_FINITE = "lower the learning rate (e.g. .updater(new Adam(1e-4))), clip with "
            + ".gradientNormalization(GradientNormalization.ClipL2PerLayer).gradientNormalizationThreshold(1.0), "
            + "check the input data for NaN/Inf, or skip such steps with GradientMonitor.builder()"
            + ".skipNonFiniteSteps(true)";

    static final String EXPLODING = "clip with .gradientNormalization(GradientNormalization.ClipL2PerLayer)"
            + ".gradientNormalizationThreshold(1.0), lower the learning rate ten-fold (e.g. .updater(new Adam(lr / 10)))"
            + ", or clip the global norm with GradientMonitor.builder().clipping(GradientClipping.globalNorm(5.0))";

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

    static final String EXPLODING_RATIO = "normalize the input features (e.g. NormalizerStandardize), clip with "
            + ".gradientNormalization(GradientNormalization.ClipL2PerLayer).gradientNormalizationThreshold(1.0), or "
            + "lower the learning rate (e.g. .updater(new Adam(lr / 10)))";

    static final String VANISHING = "use .activation(Activation.RELU).weightInit(WeightInit.RELU) instead of "
            + "sigmoid/tanh in the early layers, or add .layer(new BatchNormalization.Builder().build()) between them";

    static final String DEAD_UNITS = "use .activation(Activation.LEAKYRELU) (or ELU/SELU), .weightInit(WeightInit.RELU) "
            + "with a lower learning rate (e.g. .updater(new Adam(lr / 10))), or add "
            + ".layer(new BatchNormalization.Builder().build()) before the activation";

    static final String SATURATION = "normalize the input features (e.g. NormalizerStandardize), use smaller initial "
            + "weights (.weightInit(WeightInit.XAVIER)), lower the learning rate, or use "
            + ".activation(Activation.RELU).weightInit(WeightInit.RELU) or add .layer(new BatchNormalization.Builder()"
            + ".build()) before the activation";

    static final String UPDATE_RATIO_HIGH = "lower the learning rate (e.g. .updater(new Adam(lr / 10))) or clip with "
            + ".gradientNormalization(GradientNormalization.ClipL2PerLayer); log10(update/param) near -3 is healthy";

    static final String UPDATE_RATIO_LOW = "raise the learning rate (e.g. .updater(new Adam(lr * 10))) or check the "
            + "layer's .updater(...) and .l2(...); log10(update/param) near -3 is healthy";

    static final String LOSS_SPIKE = "if spikes repeat, lower the learning rate (e.g. .updater(new Adam(lr / 10))), "
            + "clip with .gradientNormalization(GradientNormalization.ClipL2PerLayer), or check the minibatch for "
            + "outliers and bad labels";
}
