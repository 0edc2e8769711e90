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
 * @param unitLength length of one unit (what AGC clips as a whole): the entries that make one output unit, a dense
 *                  kernel's output column, a convolution kernel's output channel; 1 for vectors such as biases
 * @param interleavedUnits false when each unit is a contiguous slice ({@code unitLength} consecutive entries: unit
 *                  {@code u} is entries {@code [u * unitLength, (u + 1) * unitLength)}); true when the units are
 *                  interleaved (unit {@code u} is entries {@code u, u + n, u + 2n, ...} with {@code n = length /
 *                  unitLength} units): a {@code DepthwiseConvolution2D} kernel {@code [kH, kW, nIn, depthMultiplier]},
 *                  whose output channel is its two fastest-varying axes
 */
public record ParamSlot(String key, long offset, long length, long unitLength, boolean interleavedUnits) {

    /** A slot whose units are single entries. */
    public ParamSlot(String key, long offset, long length) {
        this(key, offset, length, 1);
    }

    /** A slot whose units are contiguous slices of {@code unitLength} entries. */
    public ParamSlot(String key, long offset, long length, long unitLength) {
        this(key, offset, length, unitLength, false);
    }

    public ParamSlot {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException(
                    "offset and length must be >= 0 (got: " + offset + ", " + length + ") for param " + key);
        }
        if (unitLength < 1) {
            throw new IllegalArgumentException("unitLength must be >= 1 (got: " + unitLength + ") for param " + key);
        }
        if (interleavedUnits && length % unitLength != 0) {
            throw new IllegalArgumentException("interleaved units must divide the length (got: unitLength "
                    + unitLength + ", length " + length + ") for param " + key);
        }
    }
}
