package io.github.dl4jgradmon.model;

/**
 * Where one trainable parameter array lives in the model's flat buffers (arrays DL4J updates without a gradient,
 * such as BatchNormalization's running mean and variance, and arrays it never updates, frozen or with a NoOp
 * updater, get no slot). DL4J lays the flat parameter and gradient buffers out
 * identically: layers in updater order, each layer's parameters in {@code paramTable(false)} order, back to back.
 *
 * @param key       the parameter key, e.g. {@code W}
 * @param offset    first element, relative to the start of the flat buffer
 * @param length    number of elements
 * @param unitLength length of one unit: a contiguous slice along the array's slowest-varying dimension (a dense
 *                  kernel's output column, a convolution kernel's output channel); 1 for vectors such as biases
 */
public record ParamSlot(String key, long offset, long length, long unitLength) {

    /** A slot whose units are single entries. */
    public ParamSlot(String key, long offset, long length) {
        this(key, offset, length, 1);
    }

    public ParamSlot {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException(
                    "offset and length must be >= 0 (got: " + offset + ", " + length + ") for param " + key);
        }
        if (unitLength < 1) {
            throw new IllegalArgumentException("unitLength must be >= 1 (got: " + unitLength + ") for param " + key);
        }
    }
}
