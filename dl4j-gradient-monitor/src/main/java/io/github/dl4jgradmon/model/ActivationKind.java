package io.github.dl4jgradmon.model;

/**
 * Whether a layer's activation saturates, and where: the monitor measures, from the layer's outputs, the fraction of
 * inputs beyond +-5 (DeepDiagnosis' saturation rule), where sigmoid and tanh are flat and pass back almost no
 * gradient.
 */
public enum ActivationKind {
    /** sigmoid(z) for |z| > 5: outputs below 1 - sigmoid(5) or above sigmoid(5). */
    SIGMOID(1 / (1 + Math.exp(5)), 1 / (1 + Math.exp(-5))),
    /** tanh(z) for |z| > 5. */
    TANH(-Math.tanh(5), Math.tanh(5)),
    /** Not measured. */
    OTHER(Double.NaN, Double.NaN);

    private final double low;
    private final double high;

    ActivationKind(double low, double high) {
        this.low = low;
        this.high = high;
    }

    /** Outputs below this come from inputs below -5. */
    public double low() {
        return low;
    }

    /** Outputs above this come from inputs above +5. */
    public double high() {
        return high;
    }

    public boolean saturates() {
        return this != OTHER;
    }
}
