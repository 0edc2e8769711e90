package io.github.dl4jgradmon.internal.stats;

import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.Arrays;

/**
 * Read-only access to a model's flat {@code [1, N]} buffer as a direct NIO buffer: no copy, no ND4J op. Only float and
 * double buffers are read directly; any other data type is first converted (one copy per call).
 *
 * <p>Instances live only inside one callback: they point at native memory that DL4J owns.
 */
public final class FlatBuffer {

    private final FloatBuffer floats;
    /** The float elements' bit patterns (null for doubles), for integer-domain statistics. */
    private final IntBuffer ints;
    private final DoubleBuffer doubles;
    /** The same memory as bytes (native order), for SIMD loads straight from it. */
    private final ByteBuffer bytes;
    /**
     * The array the memory belongs to. The NIO buffers point at native memory without keeping its owner alive: while
     * this object is in use, the owner must stay reachable, or ND4J may free the memory (see {@link #keepAlive()}).
     */
    private final Object owner;
    private final int base;
    private final int length;
    private final boolean writable; // false for a converted copy (half precision, ...): writes are refused

    private FlatBuffer(Object owner, ByteBuffer bytes, FloatBuffer floats, DoubleBuffer doubles, int base, int length,
                       boolean writable) {
        this.owner = owner;
        this.bytes = bytes;
        this.floats = floats;
        this.ints = floats != null ? bytes.asIntBuffer() : null;
        this.doubles = doubles;
        this.base = base;
        this.length = length;
        this.writable = writable;
    }

    /**
     * Wraps a model's flat buffer (gradient, parameters); the views of the same array are reused across calls on the
     * same thread (see {@code Views}). Throws {@link IllegalArgumentException} when the array is not a contiguous
     * vector that this class can read.
     */
    public static FlatBuffer of(INDArray flat) {
        if (flat == null) {
            throw new IllegalArgumentException("flat buffer is null: the model has no gradient view yet");
        }
        if (!flat.isVector() && !flat.isScalar()) {
            throw new IllegalArgumentException("flat buffer must be a vector (got shape "
                    + Arrays.toString(flat.shape()) + ")");
        }
        FlatBuffer cached = Views.lookup(flat);
        if (cached != null) {
            return cached;
        }
        FlatBuffer fb = contiguous(flat);
        if (fb.owner == flat) {
            Views.store(flat, fb);
        }
        return fb;
    }

    /**
     * Wraps any array whose elements lie back to back in its buffer (element-wise stride 1), e.g. a layer's
     * activations. The element order is the array's own; statistics that ignore order can read it directly.
     */
    public static FlatBuffer contiguous(INDArray flat) {
        long n = flat.length();
        if (n > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("arrays beyond 2^31 elements are not supported (got: " + n + ")");
        }
        if (n > 1 && flat.elementWiseStride() != 1) {
            throw new IllegalArgumentException("array must be contiguous (got shape "
                    + Arrays.toString(flat.shape()) + ", element-wise stride " + flat.elementWiseStride()
                    + ")");
        }
        DataType type = flat.dataType();
        INDArray source = flat;
        boolean writable = true;
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            writable = false;
            source = flat.castTo(DataType.FLOAT);
            type = DataType.FLOAT;
        }
        long offset = source.offset();
        ByteBuffer bytes = source.data().asNio().order(ByteOrder.nativeOrder());
        FlatBuffer fb;
        if (type == DataType.FLOAT) {
            fb = new FlatBuffer(source, bytes, bytes.asFloatBuffer(), null, (int) offset, (int) n, writable);
        } else {
            fb = new FlatBuffer(source, bytes, null, bytes.asDoubleBuffer(), (int) offset, (int) n, writable);
        }
        int capacity = fb.floats != null ? fb.floats.capacity() : fb.doubles.capacity();
        if (offset + n > capacity) {
            throw new IllegalArgumentException("flat buffer view [" + offset + ", " + (offset + n)
                    + ") exceeds its data buffer of " + capacity + " elements");
        }
        return fb;
    }

    /**
     * The NIO views of the last few arrays wrapped on this thread. A model hands the monitor the same gradient and
     * parameter arrays every iteration, and making a direct NIO view of native memory costs a JNI call and a few
     * objects each time. An entry is used only while its array is alive (weakly held) and still has the same data
     * buffer at the same native address, offset, length and type; it holds nothing that keeps native memory alive.
     */
    private static final class Views {
        private static final int SIZE = 4;
        private static final ThreadLocal<Views> LOCAL = ThreadLocal.withInitial(Views::new);

        private final WeakReference<?>[] arrays = new WeakReference<?>[SIZE];
        private final WeakReference<?>[] data = new WeakReference<?>[SIZE];
        private final long[] address = new long[SIZE];
        private final long[] offset = new long[SIZE];
        private final long[] length = new long[SIZE];
        private final DataType[] type = new DataType[SIZE];
        private final FlatBuffer[] views = new FlatBuffer[SIZE];
        private int next;

        static FlatBuffer lookup(INDArray flat) {
            Views v = LOCAL.get();
            for (int i = 0; i < SIZE; i++) {
                if (v.arrays[i] != null && v.arrays[i].get() == flat) {
                    DataBuffer d = flat.data();
                    FlatBuffer f = v.views[i];
                    if (v.data[i].get() == d && d.address() == v.address[i] && flat.offset() == v.offset[i]
                            && flat.length() == v.length[i] && flat.dataType() == v.type[i]) {
                        return new FlatBuffer(flat, f.bytes, f.floats, f.doubles, f.base, f.length, f.writable);
                    }
                    v.arrays[i] = null;
                    v.views[i] = null;
                }
            }
            return null;
        }

        static void store(INDArray flat, FlatBuffer fb) {
            Views v = LOCAL.get();
            int i = v.next;
            v.next = (i + 1) % SIZE;
            DataBuffer d = flat.data();
            v.arrays[i] = new WeakReference<>(flat);
            v.data[i] = new WeakReference<>(d);
            v.address[i] = d.address();
            v.offset[i] = flat.offset();
            v.length[i] = flat.length();
            v.type[i] = flat.dataType();
            // a copy without the owner: the cache must not keep the array (and its native memory) alive
            v.views[i] = new FlatBuffer(null, fb.bytes, fb.floats, fb.doubles, fb.base, fb.length, fb.writable);
        }
    }

    /** A float buffer over raw native-order bytes (for self-checks). */
    static FlatBuffer wrap(ByteBuffer bytes, int length) {
        return new FlatBuffer(bytes, bytes, bytes.asFloatBuffer(), null, 0, length, true);
    }

    /** Keeps the owning array reachable up to this call: call it after the last access of a pass. */
    public void keepAlive() {
        Reference.reachabilityFence(owner);
        Reference.reachabilityFence(this);
    }

    /** Number of elements. */
    public int length() {
        return length;
    }

    /** The raw bytes (native order) and the byte offset of element {@code index}. */
    ByteBuffer bytes() {
        return bytes;
    }

    int byteOffset(int index) {
        return (base + index) * (floats != null ? Float.BYTES : Double.BYTES);
    }

    boolean isFloat() {
        return floats != null;
    }

    /** Copies {@code [from, from + len)} (relative to the start of the flat vector) into {@code dst[0, len)}. */
    void copyTo(int from, float[] dst, int len) {
        floats.get(base + from, dst, 0, len);
    }

    /** The bit patterns of float elements {@code [from, from + len)} into {@code dst[0, len)}. */
    void copyBitsTo(int from, int[] dst, int len) {
        ints.get(base + from, dst, 0, len);
    }

    void copyTo(int from, double[] dst, int len) {
        doubles.get(base + from, dst, 0, len);
    }

    /*
     * The in-place operations below move the data through an L1-sized heap block with bulk copies (the JDK's memcpy)
     * and work on the block in a plain array loop that C2 vectorises; element-wise get/put on the direct buffer is
     * neither vectorised nor free of per-element checks (about 2x slower, measured with KernelBenchmark.clipScale).
     */

    /** Multiplies {@code [from, from + len)} by {@code factor}, in place. */
    public void scale(int from, int len, double factor) {
        checkWritable();
        Kernels.Scratch s = Kernels.Scratch.get();
        if (floats != null) {
            float f = (float) factor;
            float[] x = s.f1;
            for (int done = 0; done < len; done += Kernels.BLOCK) {
                int n = Math.min(Kernels.BLOCK, len - done);
                int at = base + from + done;
                floats.get(at, x, 0, n);
                for (int i = 0; i < n; i++) {
                    x[i] *= f;
                }
                floats.put(at, x, 0, n);
            }
        } else {
            double[] x = s.d1;
            for (int done = 0; done < len; done += Kernels.BLOCK) {
                int n = Math.min(Kernels.BLOCK, len - done);
                int at = base + from + done;
                doubles.get(at, x, 0, n);
                for (int i = 0; i < n; i++) {
                    x[i] *= factor;
                }
                doubles.put(at, x, 0, n);
            }
        }
        keepAlive();
    }

    /**
     * Clamps {@code [from, from + len)} to {@code [-limit, limit]} in place (NaN stays NaN).
     *
     * @return the sum of squares after clamping, accumulated in double
     */
    public double clamp(int from, int len, double limit) {
        checkWritable();
        Kernels.Scratch s = Kernels.Scratch.get();
        double sq = 0;
        if (floats != null) {
            float[] x = s.f1;
            for (int done = 0; done < len; done += Kernels.BLOCK) {
                int n = Math.min(Kernels.BLOCK, len - done);
                int at = base + from + done;
                floats.get(at, x, 0, n);
                for (int i = 0; i < n; i++) {
                    double xi = x[i];
                    double c = xi > limit ? limit : (xi < -limit ? -limit : xi);
                    x[i] = (float) c;
                    sq += c * c;
                }
                floats.put(at, x, 0, n);
            }
        } else {
            double[] x = s.d1;
            for (int done = 0; done < len; done += Kernels.BLOCK) {
                int n = Math.min(Kernels.BLOCK, len - done);
                int at = base + from + done;
                doubles.get(at, x, 0, n);
                for (int i = 0; i < n; i++) {
                    double c = x[i] > limit ? limit : (x[i] < -limit ? -limit : x[i]);
                    x[i] = c;
                    sq += c * c;
                }
                doubles.put(at, x, 0, n);
            }
        }
        keepAlive();
        return sq;
    }

    /** Sets {@code [from, from + len)} to zero. */
    public void zero(int from, int len) {
        checkWritable();
        for (int done = 0; done < len; done += Kernels.BLOCK) {
            int n = Math.min(Kernels.BLOCK, len - done);
            if (floats != null) {
                floats.put(base + from + done, ZERO_FLOATS, 0, n);
            } else {
                doubles.put(base + from + done, ZERO_DOUBLES, 0, n);
            }
        }
        keepAlive();
    }

    private static final float[] ZERO_FLOATS = new float[Kernels.BLOCK];
    private static final double[] ZERO_DOUBLES = new double[Kernels.BLOCK];

    /** Sum of squares of {@code [from, from + len)} in double precision. */
    public double sumOfSquares(int from, int len) {
        double sq = 0;
        for (int i = base + from, end = base + from + len; i < end; i++) {
            double x = floats != null ? floats.get(i) : doubles.get(i);
            sq += x * x;
        }
        keepAlive();
        return sq;
    }

    private void checkWritable() {
        if (!writable) {
            throw new IllegalStateException("this buffer is a converted copy: writes would not reach the model");
        }
    }

    /** One element, for rare slow paths and checks. */
    public double get(int index) {
        return floats != null ? floats.get(base + index) : doubles.get(base + index);
    }
}
