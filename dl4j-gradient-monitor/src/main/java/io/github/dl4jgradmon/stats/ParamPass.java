package io.github.dl4jgradmon.stats;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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

    private static final ExecutorService POOL = createPool();

    private CompletableFuture<Void> running;
    private LayoutScanner scanFor;
    private long iterationFor = -1;
    /** The thread that ran the last pass (for tests). */
    private volatile Thread lastThread;

    /**
     * Smallest model (elements) whose parameters are read ahead. Handing the pass to a helper costs about 0.08 ms on
     * the training thread (measured with {@code CallbackProfile} on a 2-vCPU machine: waking the helper); reading
     * the parameters inline costs about 0.12-0.15 ns per element. Below this size the helper saves less than it
     * costs (a 54K-parameter LSTM: 0.144 ms of callbacks ahead, 0.112 inline; a 431K CNN: 0.41 vs 0.46; an 0.8M MLP:
     * 0.66 vs 0.78).
     */
    public static final long MIN_ELEMENTS = 1L << 18;

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
        scanFor = scan;
        iterationFor = iteration;
        running = CompletableFuture.runAsync(() -> {
            lastThread = Thread.currentThread();
            scan.scanParams(p, 1);
        }, POOL);
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
        join(r, mine);
        return mine;
    }

    /** Waits for a running pass and drops it (its step is gone). */
    public void discard() {
        CompletableFuture<Void> r = running;
        running = null;
        scanFor = null;
        iterationFor = -1;
        if (r != null) {
            join(r, false);
        }
    }

    private static void join(CompletableFuture<Void> r, boolean rethrow) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    r.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true; // finish the wait: the pass reads the model's buffer
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Error err) {
                throw err;
            }
            if (rethrow) {
                throw cause instanceof RuntimeException re ? re
                        : new IllegalStateException("parameter pass failed", cause);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    Thread lastThread() {
        return lastThread;
    }

    private static ExecutorService createPool() {
        AtomicInteger ids = new AtomicInteger();
        int n = Math.max(1, Runtime.getRuntime().availableProcessors());
        ThreadPoolExecutor pool = new ThreadPoolExecutor(n, n, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "gradmon-params-" + ids.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
