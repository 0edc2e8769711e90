package io.github.dl4jgradmon.internal.stats;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

/** Both float kernels, the portable loop and the Vector API one, against a plain double loop. */
class KernelsTest {

    @Test
    void theTestJvmRunsTheVectorKernels() {
        // the library's tests run with --add-modules jdk.incubator.vector (see its pom), so both paths are checked
        assertThat(VectorSupport.AVAILABLE).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 15, 16, 17, 511, 512, 513, 4095, 4096, 4097, 32 * 1024})
    void portableAndVectorKernelsMatchAPlainLoop(int length) {
        Random rnd = new Random(length);
        int offset = 5;
        float[] g = new float[length + offset];
        float[] p = new float[length + offset];
        for (int i = 0; i < g.length; i++) {
            g[i] = rnd.nextInt(4) == 0 ? 0f : (float) (rnd.nextGaussian() * 1e-2);
            p[i] = (float) rnd.nextGaussian();
        }
        INDArray ga = Nd4j.create(g, new long[] {1, g.length}, 'c');
        INDArray pa = Nd4j.create(p, new long[] {1, p.length}, 'c');
        FlatBuffer gb = FlatBuffer.of(ga);
        FlatBuffer pb = FlatBuffer.of(pa);
        double sq = 0, abs = 0, max = 0, zeros = 0, psq = 0;
        for (int i = offset; i < g.length; i++) {
            sq += (double) g[i] * g[i];
            abs += Math.abs(g[i]);
            max = Math.max(max, Math.abs(g[i]));
            zeros += g[i] == 0 ? 1 : 0;
            psq += (double) p[i] * p[i];
        }
        double[] portable = new double[Kernels.GRAD_SLOTS];
        double[] vector = new double[Kernels.GRAD_SLOTS];
        Kernels.portableGradient(gb, pb, offset, length, new Kernels.Scratch(), portable, 0);
        VectorKernels.gradient(gb, pb, offset, length, vector, 0);
        for (double[] out : new double[][] {portable, vector}) {
            assertThat(out[0]).isCloseTo(sq, withinPercentage(1e-3));
            assertThat(out[1]).isCloseTo(abs, withinPercentage(1e-3));
            assertThat(out[2]).isCloseTo(max, within(1e-12));
            assertThat(out[3]).isCloseTo(zeros, within(1e-6));
            assertThat(out[4]).isCloseTo(psq, withinPercentage(1e-3));
        }
        assertThat(VectorKernels.sumOfSquares(pb, offset, length)).isCloseTo(psq, withinPercentage(1e-3));
        assertThat(Kernels.portableSumOfSquares(pb, offset, length, new Kernels.Scratch()))
                .isCloseTo(psq, withinPercentage(1e-3));
    }

    @Test
    void subnormalEntriesAreNotZerosAndNegativeZeroIs() {
        float[] g = {0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-40f, -0f, 3f}; // +0 and -0 are the zeros
        INDArray ga = Nd4j.create(g, new long[] {1, g.length}, 'c');
        FlatBuffer gb = FlatBuffer.of(ga);
        double[] portable = new double[Kernels.GRAD_SLOTS];
        double[] vector = new double[Kernels.GRAD_SLOTS];
        Kernels.portableGradient(gb, gb, 0, g.length, new Kernels.Scratch(), portable, 0);
        VectorKernels.gradient(gb, gb, 0, g.length, vector, 0);
        assertThat(portable[3]).isEqualTo(2);
        assertThat(vector[3]).isEqualTo(2);
    }
}
