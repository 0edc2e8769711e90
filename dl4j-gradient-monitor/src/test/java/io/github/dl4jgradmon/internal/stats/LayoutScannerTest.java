package io.github.dl4jgradmon.internal.stats;

import io.github.dl4jgradmon.model.LayerSlot;
import io.github.dl4jgradmon.model.ModelLayout;
import io.github.dl4jgradmon.model.ParamSlot;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

/** The fused pass against a plain double-precision loop, at lengths around block and piece boundaries. */
class LayoutScannerTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 4, 5, 1023, 1024, 1025, LayoutScanner.PIECE - 1, LayoutScanner.PIECE + 1,
            3 * LayoutScanner.PIECE + 7})
    void fusedPassMatchesAPlainLoop(int length) {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            Random rnd = new Random(length);
            int other = 37;
            double[] g = new double[length + other];
            double[] p = new double[length + other];
            for (int i = 0; i < g.length; i++) {
                g[i] = rnd.nextInt(5) == 0 ? 0 : rnd.nextGaussian() * 1e-3;
                p[i] = rnd.nextGaussian();
            }
            ModelLayout layout = new ModelLayout(List.of(new LayerSlot("a", 0, "T",
                    List.of(new ParamSlot("W", other, length)))), g.length);
            LayoutScanner scan = new LayoutScanner(layout);
            INDArray ga = Nd4j.create(g, new long[] {1, g.length}, type);
            INDArray pa = Nd4j.create(p, new long[] {1, p.length}, type);
            for (int threads : new int[] {1, 2}) {
                scan.scanGradients(FlatBuffer.of(ga), FlatBuffer.of(pa), threads);
                scan.scanUpdates(FlatBuffer.of(pa), threads);
                double sq = 0, abs = 0, max = 0, psq = 0;
                long zeros = 0;
                for (int i = other; i < g.length; i++) {
                    double x = type == DataType.FLOAT ? (float) g[i] : g[i];
                    double y = type == DataType.FLOAT ? (float) p[i] : p[i];
                    sq += x * x;
                    abs += Math.abs(x);
                    max = Math.max(max, Math.abs(x));
                    zeros += x == 0 ? 1 : 0;
                    psq += y * y;
                }
                assertThat(scan.sumSq[0]).isCloseTo(sq, withinPercentage(1e-3));
                assertThat(scan.sumAbs[0]).isCloseTo(abs, withinPercentage(1e-3));
                assertThat(scan.maxAbs[0]).isCloseTo(max, within(1e-12));
                assertThat(scan.zeros[0]).isEqualTo(zeros);
                assertThat(scan.paramSumSq[0]).isCloseTo(psq, withinPercentage(1e-3));
                assertThat(scan.updateSumSq[0]).isCloseTo(psq, withinPercentage(1e-3));
                assertThat(scan.nan[0]).isZero();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(floats = {Float.NaN, Float.POSITIVE_INFINITY, 1e30f})
    void nonFiniteEntriesAndFloatOverflowTakeTheExactPath(float special) {
        int n = 5000;
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
            g[i] = 1f;
        }
        g[17] = special;
        g[4000] = special;
        INDArray ga = Nd4j.create(g, new long[] {1, n}, 'c');
        ModelLayout layout = new ModelLayout(List.of(new LayerSlot("a", 0, "T",
                List.of(new ParamSlot("W", 0, n)))), n);
        LayoutScanner scan = new LayoutScanner(layout);
        scan.scanGradients(FlatBuffer.of(ga), FlatBuffer.of(ga), 2);

        assertThat(scan.nan[0]).isEqualTo(Float.isNaN(special) ? 2 : 0);
        assertThat(scan.inf[0]).isEqualTo(Float.isInfinite(special) ? 2 : 0);
        if (Float.isFinite(special)) {
            // 1e30^2 overflows a float accumulator but not the exact double pass
            assertThat(scan.sumSq[0]).isCloseTo(2 * 1e60 + (n - 2), withinPercentage(1e-4));
            assertThat(scan.maxAbs[0]).isCloseTo(1e30, withinPercentage(1e-4));
        } else {
            assertThat(scan.sumSq[0]).as("sum over the finite entries").isEqualTo(n - 2);
            assertThat(scan.maxAbs[0]).isEqualTo(1.0);
        }
    }
}
