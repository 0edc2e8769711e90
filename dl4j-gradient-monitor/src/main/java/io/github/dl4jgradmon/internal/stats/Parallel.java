package io.github.dl4jgradmon.internal.stats;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Runs numbered pieces of work on the calling thread plus helper threads. The caller always works too and claims
 * pieces from the same counter, so a busy or slow pool never stalls training: at worst the caller does every piece.
 * Training is paused while a callback runs, so the cores are otherwise idle.
 */
final class Parallel {

    private static final ThreadPoolExecutor POOL = createPool();

    private Parallel() {
    }

    /** Helper threads available to share one scan (cores - 1, at least 1). */
    static int maxHelpers() {
        return POOL.getMaximumPoolSize();
    }

    static void run(int pieces, int threads, IntConsumer work) {
        int helpers = Math.min(Math.min(threads - 1, pieces - 1), maxHelpers());
        if (helpers <= 0) {
            for (int i = 0; i < pieces; i++) {
                work.accept(i);
            }
            return;
        }
        Job job = new Job(pieces, work);
        for (int h = 0; h < helpers; h++) {
            POOL.execute(job);
        }
        try {
            job.run();
        } catch (Throwable t) {
            // an Error on this thread (a RuntimeException is kept for awaitAll): the callback is about to end, and
            // the model's buffers may be freed right after it; no helper may still be reading them
            job.abandon();
            throw t;
        }
        job.awaitAll();
    }

    private static ThreadPoolExecutor createPool() {
        int n = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        AtomicInteger ids = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(n, n, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "gradmon-stats-" + ids.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static final class Job implements Runnable {
        private final int pieces;
        private final IntConsumer work;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger done = new AtomicInteger();
        private volatile RuntimeException failure;

        Job(int pieces, IntConsumer work) {
            this.pieces = pieces;
            this.work = work;
        }

        @Override
        public void run() {
            int i;
            while ((i = next.getAndIncrement()) < pieces) {
                try {
                    work.accept(i);
                } catch (RuntimeException e) {
                    failure = e;
                } finally {
                    done.incrementAndGet();
                }
            }
        }

        /** Hands out no more pieces and waits for the ones already taken. */
        void abandon() {
            int taken = Math.min(next.getAndSet(pieces), pieces);
            while (done.get() < taken) {
                Thread.onSpinWait();
            }
        }

        void awaitAll() {
            while (done.get() < pieces) {
                Thread.onSpinWait();
            }
            RuntimeException f = failure;
            if (f != null) {
                throw f;
            }
        }
    }
}
