package io.github.dl4jgradmon.stats;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * One daemon thread that runs one model's passes ahead of the training thread, in the order they are handed over.
 * Handing a pass over is a queue insertion and one {@code unpark} of the thread, which is all the training thread
 * pays; a general-purpose pool adds its queue lock and condition. On a 2-vCPU virtual machine, where waking a
 * sleeping thread is dear, a probe measured 80-110 µs per hand-over through a {@code ThreadPoolExecutor} and
 * {@code CompletableFuture} and about 25 µs with one {@code unpark}; in training, the monitor's
 * {@code onForwardPass} that hands the parameters' pass over went from 0.080 to 0.073 ms per iteration. The thread
 * ends after {@link #IDLE_NANOS} without work, and a later hand-over starts a new one, so a monitor whose model
 * stopped training holds no thread.
 *
 * <p>Internal: one per model ({@code Worker}); any thread may hand work over.
 */
public final class Helper implements Executor {

    /** How long the thread waits for work before it ends. */
    static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final AtomicInteger IDS = new AtomicInteger();

    private final String name;
    private final long idleNanos;
    private final ConcurrentLinkedQueue<Runnable> work = new ConcurrentLinkedQueue<>();
    /** The thread serving the queue, or null when none runs (none started yet, or it ended when idle). */
    private final AtomicReference<Thread> runner = new AtomicReference<>();

    public Helper(String name) {
        this(name, IDLE_NANOS);
    }

    Helper(String name, long idleNanos) {
        this.name = name;
        this.idleNanos = idleNanos;
    }

    /**
     * Hands {@code job} over. Throws {@link RejectedExecutionException} when no thread can be started for it (the
     * caller then runs the work itself).
     */
    @Override
    public void execute(Runnable job) {
        work.add(job);
        Thread t = runner.get();
        if (t != null) {
            LockSupport.unpark(t);
            return;
        }
        Thread started = new Thread(this::serve, name + "-" + IDS.incrementAndGet());
        started.setDaemon(true);
        if (runner.compareAndSet(null, started)) {
            try {
                started.start();
            } catch (OutOfMemoryError | RuntimeException noThread) { // the OS refused a thread: not fatal here
                runner.compareAndSet(started, null);
                work.remove(job);
                throw new RejectedExecutionException("cannot start a helper thread: " + noThread, noThread);
            }
        } else {
            Thread other = runner.get(); // another thread started one first: it will see the job
            if (other != null) {
                LockSupport.unpark(other);
            }
        }
    }

    /**
     * Waits for a pass handed over earlier, to its end even when interrupted (it reads a model's buffer). A failure
     * is rethrown when {@code rethrow}, else dropped (its step is gone); an Error always passes.
     */
    static void join(CompletableFuture<?> r, boolean rethrow) {
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
                        : new IllegalStateException("pass on the helper failed", cause);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The thread serving the queue now, if any (for tests). */
    Thread thread() {
        return runner.get();
    }

    private void serve() {
        Thread me = Thread.currentThread();
        long idleSince = System.nanoTime();
        while (true) {
            Runnable job = work.poll();
            if (job != null) {
                try {
                    job.run();
                } catch (Throwable t) { // a job reports its own failure (CompletableFuture); nothing may end this loop
                    if (t instanceof VirtualMachineError fatal) {
                        runner.compareAndSet(me, null);
                        throw fatal;
                    }
                }
                idleSince = System.nanoTime();
                continue;
            }
            long idle = System.nanoTime() - idleSince;
            if (idle >= idleNanos) {
                runner.compareAndSet(me, null);
                // a job handed over while this thread was ending: serve it unless a new thread already does
                if (work.isEmpty() || !runner.compareAndSet(null, me)) {
                    return;
                }
                idleSince = System.nanoTime();
                continue;
            }
            LockSupport.parkNanos(this, idleNanos - idle);
        }
    }
}
