package io.github.dl4jgradmon.stats;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * Read-only access to a model's flat {@code [1, N]} buffer as a direct NIO buffer: no copy, no ND4J op. Only float and
 * double buffers are read directly; any other data type is first converted (one copy per call).
 *
 * <p>Instances live only inside one callback: they point at native memory that DL4J owns.
 */
public final class FlatBuffer {

    private final FloatBuffer floats;
    private final DoubleBuffer doubles;
    private final int base;
    private final int length;

    private FlatBuffer(FloatBuffer floats, DoubleBuffer doubles, int base, int length) {
        this.floats = floats;
        this.doubles = doubles;
        this.base = base;
        this.length = length;
    }

    /**
     * Wraps a flat buffer. Throws {@link IllegalArgumentException} when the array is not a contiguous vector that this
     * class can read.
     */
    public static FlatBuffer of(INDArray flat) {
        if (flat == null) {
            throw new IllegalArgumentException("flat buffer is null: the model has no gradient view yet");
        }
        long n = flat.length();
        if (n > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("flat buffers beyond 2^31 elements are not supported (got: " + n + ")");
        }
        if (!flat.isVector() && !flat.isScalar() || (n > 1 && flat.elementWiseStride() != 1)) {
            throw new IllegalArgumentException("flat buffer must be a contiguous vector (got shape "
                    + java.util.Arrays.toString(flat.shape()) + ", stride " + flat.elementWiseStride() + ")");
        }
        DataType type = flat.dataType();
        INDArray source = flat;
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            source = flat.castTo(DataType.FLOAT);
            type = DataType.FLOAT;
        }
        long offset = source.offset();
        ByteBuffer bytes = source.data().asNio().order(ByteOrder.nativeOrder());
        FlatBuffer fb;
        if (type == DataType.FLOAT) {
            fb = new FlatBuffer(bytes.asFloatBuffer(), null, (int) offset, (int) n);
        } else {
            fb = new FlatBuffer(null, bytes.asDoubleBuffer(), (int) offset, (int) n);
        }
        int capacity = fb.floats != null ? fb.floats.capacity() : fb.doubles.capacity();
        if (offset + n > capacity) {
            throw new IllegalArgumentException("flat buffer view [" + offset + ", " + (offset + n)
                    + ") exceeds its data buffer of " + capacity + " elements");
        }
        return fb;
    }

    /** Number of elements. */
    public int length() {
        return length;
    }

    boolean isFloat() {
        return floats != null;
    }

    /** Copies {@code [from, from + len)} (relative to the start of the flat vector) into {@code dst[0, len)}. */
    void copyTo(int from, float[] dst, int len) {
        floats.get(base + from, dst, 0, len);
    }

    void copyTo(int from, double[] dst, int len) {
        doubles.get(base + from, dst, 0, len);
    }

    /** One element, for rare slow paths and checks. */
    public double get(int index) {
        return floats != null ? floats.get(base + index) : doubles.get(base + index);
    }
}
