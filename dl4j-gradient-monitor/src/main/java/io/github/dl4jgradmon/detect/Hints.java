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
