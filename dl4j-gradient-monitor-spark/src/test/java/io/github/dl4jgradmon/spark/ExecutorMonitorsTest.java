package io.github.dl4jgradmon.spark;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The executor-side registry that lets a worker's monitor outlive its task: one entry per (session, series), leased
 * by one task at a time, bounded, and cleared of other sessions when a new one starts.
 */
class ExecutorMonitorsTest {

    private final AtomicInteger made = new AtomicInteger();

    private String make() {
        return "v" + made.incrementAndGet();
    }

    @Test
    void theNextTaskOfASeriesContinuesTheValueTheLastOneReleased() {
        ExecutorMonitors<String> registry = new ExecutorMonitors<>(4);
        ExecutorMonitors.Lease<String> first = registry.acquire("s", "driver-p0", this::make);
        assertThat(first.value()).isEqualTo("v1");
        assertThat(first.continued()).isFalse();
        first.release();

        ExecutorMonitors.Lease<String> second = registry.acquire("s", "driver-p0", this::make);

        assertThat(second.value()).isEqualTo("v1");
        assertThat(second.continued()).isTrue();
        assertThat(registry.acquire("s", "driver-p1", this::make).value()).as("another series").isEqualTo("v2");
    }

    @Test
    void aSeriesLeasedByARunningTaskGivesASecondAttemptAValueThatIsNotKept() {
        ExecutorMonitors<String> registry = new ExecutorMonitors<>(4);
        ExecutorMonitors.Lease<String> running = registry.acquire("s", "p0", this::make);

        ExecutorMonitors.Lease<String> speculative = registry.acquire("s", "p0", this::make);
        speculative.release();

        assertThat(speculative.value()).isEqualTo("v2");
        assertThat(speculative.continued()).isFalse();
        assertThat(registry.acquire("s", "p0", this::make).value()).as("still leased by the running task")
                .isEqualTo("v3");
        running.release();
        running.release(); // idempotent
        ExecutorMonitors.Lease<String> next = registry.acquire("s", "p0", this::make);
        assertThat(next.value()).isEqualTo("v1");
        assertThat(registry.acquire("s", "p0", this::make).continued()).as("a double release freed it only once")
                .isFalse();
    }

    @Test
    void boundedByCapacityDroppingTheLeastRecentlyUsedIdleEntry() {
        ExecutorMonitors<String> registry = new ExecutorMonitors<>(2);
        registry.acquire("s", "a", this::make).release();
        registry.acquire("s", "b", this::make).release();
        registry.acquire("s", "a", this::make).release(); // a is now the most recently used

        registry.acquire("s", "c", this::make).release();

        assertThat(registry.kept()).containsExactly("s/a", "s/c");
        ExecutorMonitors.Lease<String> a = registry.acquire("s", "a", this::make);
        ExecutorMonitors.Lease<String> c = registry.acquire("s", "c", this::make);
        ExecutorMonitors.Lease<String> d = registry.acquire("s", "d", this::make);
        assertThat(d.continued()).isFalse();
        assertThat(registry.kept()).as("every entry in use: d is not kept").containsExactly("s/a", "s/c");
        a.release();
        c.release();
    }

    @Test
    void theFirstTaskOfANewSessionEvictsTheIdleEntriesOfOtherSessions() {
        ExecutorMonitors<String> registry = new ExecutorMonitors<>(8);
        registry.acquire("old", "p0", this::make).release();
        ExecutorMonitors.Lease<String> stillRunning = registry.acquire("old", "p1", this::make);

        registry.acquire("new", "p0", this::make).release();

        assertThat(registry.kept()).containsExactly("old/p1", "new/p0");
        stillRunning.release();
        registry.acquire("old", "p1", this::make).release();
        assertThat(registry.kept()).as("a session seen before evicts nothing").hasSize(2);
    }

    @Test
    void aDiscardedValueIsNotContinuedByTheNextTask() {
        ExecutorMonitors<String> registry = new ExecutorMonitors<>(4);
        registry.acquire("s", "p0", this::make).release();
        ExecutorMonitors.Lease<String> cannotContinue = registry.acquire("s", "p0", this::make);

        cannotContinue.discard();
        cannotContinue.release();

        assertThat(registry.kept()).isEmpty();
        ExecutorMonitors.Lease<String> next = registry.acquire("s", "p0", this::make);
        assertThat(next.continued()).isFalse();
        assertThat(next.value()).isEqualTo("v2");
    }

    @Test
    void refusesAZeroCapacity() {
        assertThatThrownBy(() -> new ExecutorMonitors<String>(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("capacity must be >= 1 (got: 0)");
    }

    @Test
    void theListenerShipsItsConfigurationButNeverAMonitor() throws Exception {
        SparkWorkerListener listener = new SparkWorkerListener("session", WorkerConfig.defaults());
        MultiLayerNetwork net = SparkFixtures.initMlp();
        net.setListeners(listener);
        net.fit(SparkFixtures.batch(1)); // outside of a Spark task: a monitor of its own, not kept
        assertThat(listener.toString()).contains("series=local");

        SparkWorkerListener copy = roundTrip(listener);

        assertThat(copy.toString()).isEqualTo("SparkWorkerListener{session=session}");
        assertThat(copy.getSessionID()).isEqualTo("session");
        assertThat(ExecutorMonitors.<SparkWorkerListener.Kept>jvm().kept()).noneMatch(k -> k.startsWith("session/"));
    }

    private static SparkWorkerListener roundTrip(SparkWorkerListener listener) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(listener);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (SparkWorkerListener) in.readObject();
        }
    }
}
