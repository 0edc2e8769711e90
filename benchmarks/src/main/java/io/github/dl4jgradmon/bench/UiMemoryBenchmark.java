package io.github.dl4jgradmon.bench;

import io.github.dl4jgradmon.GradientMonitor;
import io.github.dl4jgradmon.ui.GradientMonitorRecord;
import io.github.dl4jgradmon.ui.GradientStatsSink;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounded memory of the whole UI path (issue 12 item 9): a tiny network trains for 10^6 iterations with the
 * GradientMonitor on its defaults (every iteration), a {@code GradientStatsSink} posting every snapshot, and the
 * {@code /gradmon} page's two JSON endpoints polled over HTTP from the real DL4J UI server (a client thread, every
 * {@value #POLL_MILLIS} ms, as the page does every 2 s). At each checkpoint it collects, lets ND4J's deallocator catch up, collects again and prints the heap in use, the
 * process RSS ({@code /proc/self/status} VmRSS) and the speed; at the end one line {@code MEMORY BUDGET: PASS} or
 * {@code FAIL} against fixed budgets: heap after GC at most {@value #HEAP_BUDGET_MB} MB, RSS at most
 * {@value #RSS_BUDGET_MB} MB, and the heap of the last checkpoint at most {@value #GROWTH_BUDGET_MB} MB above the one
 * at the halfway point (a leak of 1 KB per iteration would add ~500 MB there).
 *
 * <p>The storage: DL4J's {@code InMemoryStatsStorage} keeps every record by design and its file storages commit to
 * disk on every put (~12 ms each here), so this harness stores into an in-memory storage that keeps the last
 * {@value #STORAGE_WINDOW} updates per worker. What it measures is therefore the monitor, the sink, the UI module's
 * caches and the UI server, not DL4J's storage.
 *
 * <p>Run (arguments: iterations, checkpoints, optionally a time limit in minutes after which it stops at the next
 * checkpoint and judges what it reached, and {@code bare} for the control run without monitor, sink and UI; one thread of native ops, since tiny ops on a busy machine spend their
 * time in OpenMP barriers):
 * <pre>{@code
 * OMP_NUM_THREADS=1 MAVEN_OPTS="-Xmx1g" nice -n 10 mvn -q -pl benchmarks -am compile exec:java \
 *     -Dexec.mainClass=io.github.dl4jgradmon.bench.UiMemoryBenchmark -Dexec.args="1000000 100"
 * }</pre>
 */
public final class UiMemoryBenchmark {

    static final int HEAP_BUDGET_MB = 200;
    /** Pause between the two collections of a checkpoint, for ND4J's deallocator thread. */
    static final int DRAIN_MILLIS = 500;
    /** At most this many collect-pause-collect rounds per checkpoint. */
    static final int DRAIN_ROUNDS = 5;
    static final int RSS_BUDGET_MB = 1_500;
    static final int GROWTH_BUDGET_MB = 16;
    static final int STORAGE_WINDOW = 1_000;
    static final int POLL_MILLIS = 500;

    private UiMemoryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long iterations = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int checkpoints = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        double maxMinutes = args.length > 2 ? Double.parseDouble(args[2]) : Double.POSITIVE_INFINITY;
        boolean bare = args.length > 3 && args[3].equals("bare"); // the control: DL4J alone, no monitor, no UI
        if (iterations < checkpoints || checkpoints < 2) {
            throw new IllegalArgumentException("need iterations >= checkpoints >= 2 (got: " + iterations + ", "
                    + checkpoints + ")");
        }
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .updater(new Sgd(1e-2)).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(8).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nIn(8).nOut(8).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        WindowedStorage storage = new WindowedStorage(STORAGE_WINDOW);
        GradientStatsSink sink = GradientStatsSink.to(storage, "memory-benchmark");
        DataSet batch = batch();
        VertxUIServer server = null;
        Poller poller = new Poller("", sink.sessionId());
        if (!bare) {
            net.setListeners(GradientMonitor.builder().logAlerts(false).onSnapshot(sink).onAlert(sink).build());
            server = VertxUIServer.getInstance(0, false, null);
            server.attach(storage);
            poller = new Poller("http://localhost:" + server.getPort(), sink.sessionId());
            Thread pollThread = new Thread(poller, "page-poller");
            pollThread.setDaemon(true);
            pollThread.start();
        }

        System.out.printf(Locale.ROOT, "UiMemoryBenchmark: %,d iterations, MLP 4-8-8-2 (%d params), batch 8, %s%n", iterations,
                net.numParams(), bare ? "BARE (control: no monitor, no sink, no UI server)" : String.format(
                        "monitor every iteration, sink -> storage (last %,d updates), page polled every %d ms",
                        STORAGE_WINDOW, POLL_MILLIS));
        System.out.println("| iterations | heap used after GC (MB) | RSS (MB) | iterations/s | page polls | "
                + "poll failures |");
        System.out.println("|---:|---:|---:|---:|---:|---:|");
        long every = iterations / checkpoints;
        List<Double> heaps = new ArrayList<>();
        double maxHeap = 0;
        double maxRss = 0;
        long start = System.nanoTime();
        long deadline = Double.isInfinite(maxMinutes) ? Long.MAX_VALUE : start + (long) (maxMinutes * 60e9);
        long lastTime = start;
        long lastIteration = 0;
        long done = 0;
        for (long i = 1; i <= iterations && (lastIteration == 0 || System.nanoTime() < deadline || i % every != 1);
                i++) {
            net.fit(batch);
            if (i % every == 0) {
                double heap = drainedHeapMb();
                double rss = rssMb();
                long now = System.nanoTime();
                double speed = (i - lastIteration) / ((now - lastTime) / 1e9);
                lastTime = now;
                lastIteration = i;
                heaps.add(heap);
                maxHeap = Math.max(maxHeap, heap);
                maxRss = Math.max(maxRss, rss);
                System.out.printf(Locale.ROOT, "| %,d | %.1f | %.0f | %.0f | %d | %d |%n", i, heap, rss, speed,
                        poller.polls.get(), poller.failures.get());
                System.out.flush();
            }
            done = i;
        }
        poller.stop = true;
        // growth over the second half of the checkpoints reached (all of them when the run completes)
        double growth = heaps.size() < 2 ? Double.NaN
                : heaps.get(heaps.size() - 1) - heaps.get(heaps.size() / 2 - 1);
        String scope = done == iterations ? "" : String.format(Locale.ROOT, " [time limit: stopped after %,d of %,d iterations]",
                done, iterations);
        boolean pass = heaps.size() >= 2 && maxHeap <= HEAP_BUDGET_MB && maxRss <= RSS_BUDGET_MB
                && growth <= GROWTH_BUDGET_MB && (bare || poller.polls.get() > 0) && poller.failures.get() == 0;
        System.out.printf(Locale.ROOT, "MEMORY BUDGET: %s%s (max heap after GC %.1f MB <= %d; max RSS %.0f MB <= %d; heap growth "
                        + "over the second half %.1f MB <= %d; %d page polls, %d failed; %.0f s)%n",
                pass ? "PASS" : "FAIL", scope, maxHeap, HEAP_BUDGET_MB, maxRss, RSS_BUDGET_MB, growth,
                GROWTH_BUDGET_MB, poller.polls.get(), poller.failures.get(), (System.nanoTime() - start) / 1e9);
        if (server != null) {
            server.stop();
        }
        System.exit(pass ? 0 : 1);
    }

    private static DataSet batch() {
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 4);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 8, 2);
        for (int i = 0; i < 8; i++) {
            y.putScalar(i, i % 2, 1);
        }
        return new DataSet(x, y);
    }

    /**
     * Heap after GC once ND4J's deallocator has caught up. Every INDArray DL4J frees leaves a reference object that
     * ND4J's deallocator thread must take off its queue (releasing the native memory) before the collector can
     * reclaim it; on a busy machine that thread lags by hundreds of thousands of them (about 100 MB measured with
     * {@code jmap -histo:live}), which are DL4J's garbage, not live data. So: collect, give the deallocator a moment,
     * collect again, and read; repeat (at most {@value #DRAIN_ROUNDS} times) until the reading stops falling by a
     * megabyte. Garbage can only inflate a reading, so the lowest is the closest to the live set.
     */
    private static double drainedHeapMb() throws InterruptedException {
        double heap = Double.POSITIVE_INFINITY;
        for (int round = 0; round < DRAIN_ROUNDS; round++) {
            System.gc();
            Thread.sleep(DRAIN_MILLIS);
            System.gc();
            double now = heapAfterLastGcMb();
            boolean settled = now > heap - 1.0;
            heap = Math.min(heap, now);
            if (settled) {
                break;
            }
        }
        return heap;
    }

    /**
     * Heap in use right after the last collection (the pools' collection usage): read after System.gc(), it is the
     * live set, not counting what other threads (the UI server, the poller) allocate between the GC and the read.
     */
    private static double heapAfterLastGcMb() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                used += pool.getCollectionUsage().getUsed();
            }
        }
        return used / 1048576.0;
    }

    private static double rssMb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    /** The page's two requests, in a loop. */
    private static final class Poller implements Runnable {
        private final HttpClient client = HttpClient.newHttpClient();
        private final String base;
        private final String session;
        final AtomicLong polls = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        volatile boolean stop;

        Poller(String base, String session) {
            this.base = base;
            this.session = session;
        }

        @Override
        public void run() {
            String data = "/gradmon/data/" + URLEncoder.encode(session, StandardCharsets.UTF_8) + "/0";
            while (!stop) {
                try {
                    boolean ok = get("/gradmon/sessions").contains(session) && get(data).contains("totalPoints");
                    polls.incrementAndGet();
                    if (!ok) {
                        failures.incrementAndGet();
                    }
                } catch (IOException e) {
                    failures.incrementAndGet();
                    System.err.println("page poll failed: " + e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        private String get(String path) throws IOException, InterruptedException {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException(path + ": HTTP " + r.statusCode());
            }
            return r.body();
        }
    }

    /**
     * An in-memory storage that keeps the last {@code window} updates per (session, type, worker): DL4J's own keeps
     * every record, which is its design, not what this harness measures.
     */
    static final class WindowedStorage extends InMemoryStatsStorage {
        private final int window;
        private final Map<String, ArrayDeque<Long>> times = new ConcurrentHashMap<>();

        WindowedStorage(int window) {
            this.window = window;
        }

        @Override
        public void putUpdate(Persistable update) {
            super.putUpdate(update);
            if (!GradientMonitorRecord.TYPE_ID.equals(update.getTypeID())) {
                return;
            }
            String key = update.getSessionID() + '\u0000' + update.getWorkerID();
            ArrayDeque<Long> q = times.computeIfAbsent(key, k -> new ArrayDeque<>());
            synchronized (q) {
                q.addLast(update.getTimeStamp());
                if (q.size() > window) {
                    Map<Long, Persistable> map = getUpdateMap(update.getSessionID(), update.getTypeID(),
                            update.getWorkerID(), false);
                    map.remove(q.removeFirst());
                }
            }
        }
    }
}
