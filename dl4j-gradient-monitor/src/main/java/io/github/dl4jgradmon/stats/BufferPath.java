package io.github.dl4jgradmon.stats;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How the monitor reads and writes a model's flat buffers. Chosen once per model.
 *
 * <ul>
 *   <li>{@link #HOST}: straight from the native buffer ({@code data().asNio()}), no ND4J op, no copy: the fast path.
 *   Taken only where it is proven: ND4J's CPU backend (arrays live in host memory), FLOAT and DOUBLE models.</li>
 *   <li>{@link #ND4J}: ND4J operations on views of the flat buffers ({@code norm2}, {@code muli}, {@code assign},
 *   ...), correct on every backend: on a device backend (CUDA) the host copy of an array may be stale and host writes
 *   may never reach the device. Also taken for half-precision models on any backend (clipping works there), and
 *   forced with the system property {@value #PROPERTY}{@code =true}.</li>
 * </ul>
 */
public enum BufferPath {
    HOST,
    ND4J;

    /** System property that forces the ND4J path on the CPU backend too (read when a model is first seen). */
    public static final String PROPERTY = "dl4jgradmon.nd4jPath";

    private static final boolean CPU_BACKEND = detectCpuBackend();

    /** The path for a model whose flat buffers hold {@code type}. */
    public static BufferPath select(DataType type) {
        if (Boolean.getBoolean(PROPERTY) || !CPU_BACKEND) {
            return ND4J;
        }
        return type == DataType.FLOAT || type == DataType.DOUBLE ? HOST : ND4J;
    }

    private static boolean detectCpuBackend() {
        try {
            return Nd4j.getEnvironment().isCPU()
                    && Nd4j.getBackend().getClass().getName().startsWith("org.nd4j.linalg.cpu.");
        } catch (RuntimeException | LinkageError e) {
            return false; // unknown backend: the portable path
        }
    }
}
