package io.github.dl4jgradmon.internal.stats;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pieces shared with helper threads: every piece runs once, and the caller never returns while a helper still works
 * on a piece, whatever happens on the caller's side (the pieces read a model's buffers, which may be freed as soon as
 * the callback ends).
 */
class ParallelTest {

    @Test
    void everyPieceRunsExactlyOnce() {
        AtomicIntegerArray runs = new AtomicIntegerArray(1000);
        Parallel.run(1000, 2, i -> runs.incrementAndGet(i));
        for (int i = 0; i < 1000; i++) {
            assertThat(runs.get(i)).as("piece %d", i).isEqualTo(1);
        }
    }

    @Test
    void anErrorOnTheCallersSideWaitsForTheHelpersPieceBeforeItLeaves() throws InterruptedException {
        CountDownLatch helperStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean helperFinished = new AtomicBoolean();
        Thread caller = Thread.currentThread();
        AtomicBoolean returned = new AtomicBoolean();
        // the helper's piece is held until the caller, its own piece failed, waits in Parallel for it (or has left)
        Thread releaser = new Thread(() -> {
            while (!returned.get() && Arrays.stream(caller.getStackTrace())
                    .noneMatch(f -> f.getMethodName().equals("abandon"))) {
                Thread.onSpinWait();
            }
            release.countDown();
        });
        releaser.start();
        assertThatThrownBy(() -> Parallel.run(2, 2, i -> {
            if (Thread.currentThread() == caller) {
                try {
                    helperStarted.await(30, TimeUnit.SECONDS); // the other piece is taken by the helper
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new StackOverflowError("simulated");
            }
            helperStarted.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            helperFinished.set(true);
        })).isInstanceOf(StackOverflowError.class);
        boolean finished = helperFinished.get();
        returned.set(true);
        releaser.join();
        assertThat(finished).as("run() left while the helper still worked on its piece").isTrue();
    }
}
