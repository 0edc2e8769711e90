package io.github.dl4jgradmon.bench.jmh;

import io.github.dl4jgradmon.internal.react.ClipPlan;
import io.github.dl4jgradmon.internal.stats.FlatBuffer;
import io.github.dl4jgradmon.internal.stats.FlatSegments;
import io.github.dl4jgradmon.internal.stats.LayoutScanner;
import io.github.dl4jgradmon.internal.stats.StatsPass;
import io.github.dl4jgradmon.stats.BufferPath;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The monitor's passes over a real network's flat buffers, one thread, caches as repeated passes leave them:
 * {@code gradientPass} (the fused statistics pass: sum of squares, sum of |g|, max |g| and zero count of the
 * gradient, sum of squares of the parameters, per parameter array), {@code updatePass}
 * (sum of squares of the applied update at {@code iterationDone}), {@code clipScale} (global-norm clipping's in-place
 * scaling of every gradient entry). Next to them, the machine's limit for the same bytes: {@code readCopy} streams
 * the gradient and parameter buffers through an L1-sized heap block with bulk copies (the JDK's memcpy), and
 * {@code readLongs} sums them as 64-bit words with four accumulators. Run through {@link KernelReport}, which
 * divides by the parameter count and the bytes touched.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(1)
public class KernelBenchmark {

    /** mlp: 0.8M parameters (6.4 MB of gradient + parameters, fits the L3 cache); vgg16: 34M (270 MB). */
    @Param({"mlp", "vgg16"})
    public String model;

    private Buffers b;
    private LayoutScanner scanner;
    private FlatBuffer g;
    private FlatBuffer p;
    private FlatSegments segments;
    private boolean up;
    private final byte[] block = new byte[16 * 1024];

    @Setup(Level.Trial)
    public void setUp() {
        b = new Buffers(model);
        scanner = new LayoutScanner(b.layout);
        g = FlatBuffer.of(b.gradients);
        p = FlatBuffer.of(b.params);
        scanner.scanGradients(g, p, 1);
        segments = StatsPass.of(BufferPath.HOST).segments(b.gradients, b.params);
    }

    @Benchmark
    public void gradientPass() {
        scanner.scanGradients(g, p, 1);
    }

    @Benchmark
    public void updatePass() {
        scanner.scanUpdates(g, 1);
    }

    /**
     * Plans a global scale and applies it (clipping computes every factor first, then writes once). Halves, then
     * doubles (exact in binary floating point): the buffer stays the same across invocations.
     */
    @Benchmark
    public void clipScale() {
        ClipPlan clip = new ClipPlan(scanner, segments, 1);
        clip.scaleAll(up ? 2.0 : 0.5);
        clip.commit();
        up = !up;
    }

    @Benchmark
    public void wrapBuffers(Blackhole bh) {
        bh.consume(FlatBuffer.of(b.gradients));
        bh.consume(FlatBuffer.of(b.params));
    }

    @Benchmark
    public int readCopy() {
        return copyThrough(b.gradientBytes) + copyThrough(b.paramBytes);
    }

    @Benchmark
    public long readLongs() {
        return sumLongs(b.gradientBytes) + sumLongs(b.paramBytes);
    }

    private int copyThrough(ByteBuffer src) {
        int n = src.capacity();
        int x = 0;
        for (int at = 0; at < n; at += block.length) {
            int len = Math.min(block.length, n - at);
            src.get(at, block, 0, len);
            x += block[len - 1];
        }
        return x;
    }

    private static long sumLongs(ByteBuffer src) {
        int n = src.capacity() & ~31;
        long s0 = 0;
        long s1 = 0;
        long s2 = 0;
        long s3 = 0;
        for (int at = 0; at < n; at += 32) {
            s0 += src.getLong(at);
            s1 += src.getLong(at + 8);
            s2 += src.getLong(at + 16);
            s3 += src.getLong(at + 24);
        }
        return s0 + s1 + s2 + s3;
    }
}
