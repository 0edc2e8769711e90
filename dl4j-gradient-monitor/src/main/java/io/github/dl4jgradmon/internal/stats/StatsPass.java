package io.github.dl4jgradmon.internal.stats;

import io.github.dl4jgradmon.internal.util.Checks;
import io.github.dl4jgradmon.model.ModelLayout;
import io.github.dl4jgradmon.stats.BufferPath;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where the statistics' numbers come from: the selection point between the fast path that reads the native host
 * buffer ({@link BufferPath#HOST}) and the path built on ND4J operations, correct on every backend
 * ({@link BufferPath#ND4J}). Both fill the same {@link LayoutScanner} sums, so everything downstream is identical.
 *
 * <p>Internal: public only for the monitor. Calls happen inside DL4J callbacks; nothing is kept past them.
 */
public interface StatsPass {

    /** The pass for a path. */
    static StatsPass of(BufferPath path) {
        return path == BufferPath.HOST ? HostStatsPass.INSTANCE : Nd4jStatsPass.INSTANCE;
    }

    BufferPath path();

    /** Checks, once per model, that this pass reads the buffers as ND4J does; throws when it cannot. */
    void verify(ModelLayout layout, INDArray gradients, INDArray params);

    /**
     * One pass over the raw gradient and the parameters, into the scanner's sums.
     */
    void scanGradients(LayoutScanner scan, INDArray gradients, INDArray params, int threads);

    /** One pass over the applied update, into the scanner's update sums. */
    void scanUpdates(LayoutScanner scan, INDArray updates, int threads);

    /** Fraction of the entries outside {@code [low, high]} (NaN counts as inside); NaN when it cannot be read. */
    double fractionOutside(INDArray activations, double low, double high);

    /** The gradient and parameters as reactions read and write them, for this callback only. */
    FlatSegments segments(INDArray gradients, INDArray params);
}
