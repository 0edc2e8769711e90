package io.github.dl4jgradmon.stats;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The helper thread runs what it is handed, in order, survives failing work, and ends when idle. */
class HelperTest {

    @Test
    void runsWorkInOrderOnOneOtherThread() {
        Helper helper = new Helper("test-helper");
        List<Integer> order = new CopyOnWriteArrayList<>();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        CompletableFuture<?>[] all = new CompletableFuture<?>[50];
        for (int i = 0; i < all.length; i++) {
            int n = i;
            all[i] = CompletableFuture.runAsync(() -> {
                order.add(n);
                threads.add(Thread.currentThread());
            }, helper);
        }
        CompletableFuture.allOf(all).join();
        assertThat(order).hasSize(50).isSorted();
        assertThat(threads).allMatch(t -> t == threads.get(0));
        assertThat(threads.get(0)).isNotSameAs(Thread.currentThread());
        assertThat(threads.get(0).getName()).startsWith("test-helper-");
        assertThat(threads.get(0).isDaemon()).isTrue();
    }

    @Test
    void aFailingJobIsReportedAndTheNextOneRuns() {
        Helper helper = new Helper("test-helper");
        CompletableFuture<Void> failing = CompletableFuture.runAsync(() -> {
            throw new IllegalStateException("broken pass");
        }, helper);
        assertThatThrownBy(() -> Helper.join(failing, true)).isInstanceOf(IllegalStateException.class)
                .hasMessage("broken pass");
        Helper.join(CompletableFuture.runAsync(() -> { throw new IllegalStateException("dropped"); }, helper), false);
        assertThat(CompletableFuture.supplyAsync(() -> 42, helper).join()).isEqualTo(42);
    }

    @Test
    void theThreadEndsWhenIdleAndALaterJobStartsAnother() throws InterruptedException {
        Helper helper = new Helper("test-helper", TimeUnit.MILLISECONDS.toNanos(1));
        Thread first = CompletableFuture.supplyAsync(Thread::currentThread, helper).join();
        first.join(TimeUnit.SECONDS.toMillis(30)); // it ends by itself after 1 ms without work
        assertThat(first.isAlive()).isFalse();
        assertThat(helper.thread()).isNull();
        Thread second = CompletableFuture.supplyAsync(Thread::currentThread, helper).join();
        assertThat(second).isNotSameAs(first);
    }

    @Test
    void workHandedOverWhileTheThreadEndsIsStillRun() throws Exception {
        // an idle limit of zero: the thread tries to end after every job, racing with the next hand-over; a lost
        // job would never complete
        Helper helper = new Helper("test-helper", 0);
        for (int i = 0; i < 2_000; i++) {
            int n = i;
            assertThat(CompletableFuture.supplyAsync(() -> n, helper).get(30, TimeUnit.SECONDS)).isEqualTo(n);
        }
    }
}
