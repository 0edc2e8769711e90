package io.github.dl4jgradmon.stats;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The parameters' sums of squares of one step, read on a helper thread while DL4J runs the step's backpropagation.
 * DL4J calls {@code onForwardPass} after the forward pass and {@code onGradientCalculation} before the updater
 * changes the parameters; in between, backpropagation only reads them. The monitor starts this pass at the first and
 * collects it at the second ({@link #collect}), so the training thread reads only the gradient there. Where no pass
 * was started for the step, or it failed, the gradient pass reads the parameters as before.
 *
 * <p>Host path only (the native buffer is read directly; nothing is copied). Internal: one per model, driven by the
 * thread that trains it.
 */
public final class ParamPass {

    private final Executor helper;
    private CompletableFuture<Void> running;
    private LayoutScanner scanFor;
    private long iterationFor = -1;
    /** The thread that ran the last pass (for tests). */
    private volatile Thread lastThread;

    /**
     * Smallest model (elements) whose parameters are read ahead. Handing the pass over, at {@code onForwardPass},
     * costs the training thread about 0.07 ms on a 2-vCPU virtual machine (the whole callback on an 0.8M-parameter
     * MLP, measured with {@code CallbackProfile}; mostly waking the helper, see {@link Helper}); reading the
     * parameters inline costs about 0.12-0.15 ns per element, so the break-even lies near 2^18 elements. (Measured
     * when a hand-over went through a thread pool: a 54K-parameter LSTM took 0.144 ms of callbacks ahead, 0.112
     * inline; a 431K CNN 0.41 vs 0.46; an 0.8M MLP 0.66 vs 0.78.)
     */
    public static final long MIN_ELEMENTS = 1L << 18;

    /** @param helper runs the passes (the model's {@link Helper}) */
    public ParamPass(Executor helper) {
        this.helper = helper;
    }

    /** Whether a pass can run ahead for this buffer path and model size. */
    public static boolean applies(StatsPass pass, long elements) {
        return pass.path() == BufferPath.HOST && elements >= MIN_ELEMENTS;
    }

    /**
     * Starts reading {@code params} into {@code scan} for {@code iteration}; first waits for a pass still running (one
     * whose step never reached its gradient), so at most one runs per model.
     */
    public void start(LayoutScanner scan, INDArray params, long iteration) {
        discard();
        FlatBuffer p = FlatBuffer.of(params);
        try {
            running = CompletableFuture.runAsync(() -> {
                lastThread = Thread.currentThread();
                scan.scanParams(p, 1);
            }, helper);
        } catch (RejectedExecutionException refused) {
            return; // no helper thread: the gradient pass reads the parameters, as without a pass ahead
        }
        scanFor = scan;
        iterationFor = iteration;
    }

    /**
     * Waits for the pass started for {@code iteration} into {@code scan}. True: the scanner's parameter sums are that
     * step's. False: none was started for it (any other pass is waited for and dropped). A failure of the pass is
     * rethrown; the caller then reads the parameters itself.
     */
    public boolean collect(LayoutScanner scan, long iteration) {
        CompletableFuture<Void> r = running;
        if (r == null) {
            return false;
        }
        boolean mine = scanFor == scan && iterationFor == iteration;
        running = null;
        scanFor = null;
        iterationFor = -1;
        Helper.join(r, mine);
        return mine;
    }

    /** Waits for a running pass and drops it (its step is gone). */
    public void discard() {
        CompletableFuture<Void> r = running;
        running = null;
        scanFor = null;
        iterationFor = -1;
        if (r != null) {
            Helper.join(r, false);
        }
    }

    Thread lastThread() {
        return lastThread;
    }
}
