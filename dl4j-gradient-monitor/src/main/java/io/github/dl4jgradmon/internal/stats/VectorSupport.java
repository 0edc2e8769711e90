package io.github.dl4jgradmon.internal.stats;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Decides once whether the Vector API kernels can run: the JVM must resolve {@code jdk.incubator.vector} (started
 * with {@code --add-modules jdk.incubator.vector}), the API must be the one these kernels were written against, and
 * a self-check must give the portable loop's numbers. {@code -Ddl4jgradmon.vector=false} turns it off.
 */
final class VectorSupport {

    private static final Logger log = LoggerFactory.getLogger(VectorSupport.class);

    /** True when the Vector API kernels are used. */
    static final boolean AVAILABLE = probe();

    private VectorSupport() {
    }

    private static boolean probe() {
        if ("false".equalsIgnoreCase(System.getProperty("dl4jgradmon.vector"))
                || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            int n = 1000;
            ByteBuffer bytes = ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder());
            for (int i = 0; i < n; i++) {
                bytes.putFloat(i * Float.BYTES, i % 7 == 0 ? 0f : (i - 500) / 100f);
            }
            FlatBuffer b = FlatBuffer.wrap(bytes, n);
            double[] fast = new double[Kernels.GRAD_SLOTS];
            double[] portable = new double[Kernels.GRAD_SLOTS];
            VectorKernels.gradient(b, b, 3, n - 3, fast, 0);
            Kernels.portableGradient(b, b, 3, n - 3, Kernels.Scratch.get(), portable, 0);
            for (int i = 0; i < fast.length; i++) {
                if (Math.abs(fast[i] - portable[i]) > 1e-4 * Math.max(1, Math.abs(portable[i]))) {
                    log.warn("Vector API kernels disagree with the portable loop (slot {}: {} vs {}); using the "
                            + "portable loop", i, fast[i], portable[i]);
                    return false;
                }
            }
            log.debug("gradient statistics use the Vector API kernels");
            return true;
        } catch (LinkageError | RuntimeException e) {
            log.info("jdk.incubator.vector is present but not usable here ({}); gradient statistics use the "
                    + "portable loop", e.toString());
            return false;
        }
    }
}
