package io.github.dl4jgradmon.model;

/**
 * Where one parameter array lives in the model's flat buffers. The offset is read from DL4J's own view of the array
 * (its offset into the flat parameter buffer), and DL4J's gradient view of the same parameter is checked to sit at
 * the same offset: within a layer the buffer order is not always {@code paramTable()} order
 * ({@code SeparableConvolution2D} and {@code DepthwiseConvolution2D} keep the bias first).
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
