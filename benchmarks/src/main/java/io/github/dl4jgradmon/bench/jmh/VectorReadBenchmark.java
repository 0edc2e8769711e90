package io.github.dl4jgradmon.bench.jmh;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
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

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * A SIMD streaming read of the gradient and parameter buffers (integer adds into four vector registers): the fastest
 * read of those bytes a Java thread can do. Needs {@code --add-modules jdk.incubator.vector}; {@link KernelReport}
 * runs it only then.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(1)
public class VectorReadBenchmark {

    private static final VectorSpecies<Integer> S = IntVector.SPECIES_PREFERRED;

    @Param({"mlp", "vgg16"})
    public String model;

    private Buffers b;

    @Setup(Level.Trial)
    public void setUp() {
        b = new Buffers(model);
    }

    @Benchmark
    public int readVector() {
        return sum(b.gradientBytes) + sum(b.paramBytes);
    }

    private static int sum(ByteBuffer src) {
        int step = S.vectorByteSize();
        int n = src.capacity() - src.capacity() % (4 * step);
        IntVector a0 = IntVector.zero(S);
        IntVector a1 = IntVector.zero(S);
        IntVector a2 = IntVector.zero(S);
        IntVector a3 = IntVector.zero(S);
        ByteOrder o = ByteOrder.nativeOrder();
        for (int at = 0; at < n; at += 4 * step) {
            a0 = a0.add(IntVector.fromByteBuffer(S, src, at, o));
            a1 = a1.add(IntVector.fromByteBuffer(S, src, at + step, o));
            a2 = a2.add(IntVector.fromByteBuffer(S, src, at + 2 * step, o));
            a3 = a3.add(IntVector.fromByteBuffer(S, src, at + 3 * step, o));
        }
        return a0.add(a1).add(a2).add(a3).reduceLanes(VectorOperators.ADD);
    }
}
