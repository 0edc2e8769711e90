package io.github.dl4jgradmon.internal.stats;

import io.github.dl4jgradmon.model.LayerSlot;
import io.github.dl4jgradmon.model.ModelLayout;
import io.github.dl4jgradmon.model.ParamSlot;
import io.github.dl4jgradmon.stats.BufferPath;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

/**
 * Both statistics passes, the host one and the ND4J one, on the same buffers against a plain double loop over the
 * values written: zeros, subnormal and tiny entries, NaN and Inf, and a segment of huge finite values whose float sum
 * of squares overflows. And both on layers of tens of millions of entries, where float accumulation drifts.
 */
class Nd4jStatsPassTest {

    private static final int[] LENGTHS = {37, 512, 9, 64};

    private static float[] values(Random rnd) {
        int n = 0;
        for (int l : LENGTHS) {
            n += l;
        }
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
            g[i] = rnd.nextInt(5) == 0 ? 0f : (float) (rnd.nextGaussian() * 1e-3);
        }
        g[3] = Float.MIN_VALUE;  // subnormal: not zero
        g[4] = 1e-30f;
        g[40] = Float.NaN;      // segment 1
        g[41] = Float.POSITIVE_INFINITY;
        g[42] = Float.NaN;
        for (int i = 37 + 512; i < 37 + 512 + 9; i++) {
            g[i] = 3e19f;       // segment 2: finite, but the sum of squares overflows float
        }
        return g;
    }

    @ParameterizedTest
    @EnumSource(BufferPath.class)
    void bothPassesMatchAPlainLoop(BufferPath path) {
        float[] g = values(new Random(7));
        float[] p = new float[g.length];
        Random rnd = new Random(8);
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) rnd.nextGaussian();
        }
        ParamSlot[] slots = new ParamSlot[LENGTHS.length];
        int offset = 0;
        for (int s = 0; s < LENGTHS.length; s++) {
            slots[s] = new ParamSlot("p" + s, offset, LENGTHS[s]);
            offset += LENGTHS[s];
        }
        ModelLayout layout = new ModelLayout(List.of(new LayerSlot("a", 0, "DenseLayer", List.of(slots[0], slots[1])),
                new LayerSlot("b", 1, "DenseLayer", List.of(slots[2], slots[3]))), g.length);
        INDArray ga = Nd4j.create(g, new long[] {1, g.length}, 'f');
        INDArray pa = Nd4j.create(p, new long[] {1, p.length}, 'f');
        LayoutScanner scan = new LayoutScanner(layout);
        StatsPass pass = StatsPass.of(path);
        pass.verify(layout, ga, pa);
        pass.scanGradients(scan, ga, pa, 1);
        pass.scanUpdates(scan, pa, 1);

        for (int s = 0; s < LENGTHS.length; s++) {
            int from = (int) slots[s].offset();
            double sq = 0, abs = 0, max = 0, psq = 0;
            long zeros = 0, nan = 0, inf = 0;
            for (int i = from; i < from + LENGTHS[s]; i++) {
                double x = g[i];
                psq += (double) p[i] * p[i];
                if (Double.isNaN(x)) {
                    nan++;
                } else if (Double.isInfinite(x)) {
                    inf++;
                } else {
                    sq += x * x;
                    abs += Math.abs(x);
                    max = Math.max(max, Math.abs(x));
                    zeros += x == 0 ? 1 : 0;
                }
            }
            assertThat(scan.nan[s]).as("segment %s NaN", s).isEqualTo(nan);
            assertThat(scan.inf[s]).as("segment %s Inf", s).isEqualTo(inf);
            assertThat(scan.zeros[s]).as("segment %s zeros", s).isEqualTo(zeros);
            assertThat(scan.sumSq[s]).as("segment %s sum of squares", s).isCloseTo(sq, withinPercentage(1e-3));
            assertThat(scan.sumAbs[s]).as("segment %s sum |g|", s).isCloseTo(abs, withinPercentage(1e-3));
            assertThat(scan.maxAbs[s]).as("segment %s max |g|", s).isCloseTo(max, withinPercentage(1e-4));
            assertThat(scan.paramSumSq[s]).as("segment %s params", s).isCloseTo(psq, withinPercentage(1e-3));
            assertThat(scan.updateSumSq[s]).as("segment %s updates", s).isCloseTo(psq, withinPercentage(1e-3));
        }
    }

    @ParameterizedTest
    @EnumSource(BufferPath.class)
    void writesReachTheBufferOnBothPaths(BufferPath path) {
        double[] g = {3, -4, 0.5, -0.25, 10, -10, 1, 2};
        INDArray ga = Nd4j.create(g, new long[] {1, g.length}, 'f').castTo(DataType.FLOAT);
        INDArray pa = Nd4j.ones(DataType.FLOAT, 1, g.length);
        FlatSegments seg = StatsPass.of(path).segments(ga, pa);
        seg.scale(0, 2, 0.5);                                 // 1.5, -2
        seg.clamp(4, 2, 3);                                   // 3, -3
        seg.scaleUnits(6, 2, 1, new double[] {2, 1});         // 2, 2
        double clampedSq = seg.clampedSumSq(0, 4, 2, 1);      // clamp(3, -4, 1, -0.5) -> 1, 1, 1, 0.25
        double[] units = new double[2];
        seg.unitSumSq(0, 4, 2, false, units);                 // (1.5^2 + 2^2), (0.5^2 + 0.25^2)
        assertThat(ga.toDoubleVector()).containsExactly(1.5, -2, 0.5, -0.25, 3, -3, 2, 2);
        assertThat(clampedSq).isCloseTo(3.25, withinPercentage(1e-4));
        assertThat(units[0]).isCloseTo(6.25, withinPercentage(1e-4));
        assertThat(units[1]).isCloseTo(0.3125, withinPercentage(1e-4));
        seg.zero();
        assertThat(ga.toDoubleVector()).containsOnly(0.0);
    }

    /** A 16M-entry weight and an 8M-entry one (holding a NaN), as FLOAT: every sum within 1e-6 of a double loop. */
    @ParameterizedTest
    @EnumSource(BufferPath.class)
    void sumsOfTensOfMillionsOfFloatsAgreeWithADoubleLoop(BufferPath path) {
        int[] lengths = {16_000_000, 8_000_000};
        int n = lengths[0] + lengths[1];
        float[] g = new float[n];
        float[] p = new float[n];
        float[] u = new float[n];
        SplittableRandom rnd = new SplittableRandom(11);
        for (int i = 0; i < n; i++) {
            g[i] = rnd.nextInt(10) == 0 ? 0f : (float) ((rnd.nextDouble() - 0.4) * 2e-3);
            p[i] = (float) ((rnd.nextDouble() - 0.5) * 0.1);
            u[i] = (float) ((rnd.nextDouble() - 0.45) * 1e-5);
        }
        g[lengths[0] + 3_000_001] = Float.NaN; // second segment: counted apart, finite entries summed in blocks
        ParamSlot w1 = new ParamSlot("W", 0, lengths[0]);
        ParamSlot w2 = new ParamSlot("W", lengths[0], lengths[1]);
        ModelLayout layout = new ModelLayout(List.of(new LayerSlot("a", 0, "DenseLayer", List.of(w1)),
                new LayerSlot("b", 1, "DenseLayer", List.of(w2))), n);
        INDArray ga = Nd4j.create(g, new long[] {1, n}, 'f');
        INDArray pa = Nd4j.create(p, new long[] {1, n}, 'f');
        INDArray ua = Nd4j.create(u, new long[] {1, n}, 'f');
        LayoutScanner scan = new LayoutScanner(layout);
        StatsPass pass = StatsPass.of(path);
        pass.verify(layout, ga, pa);
        pass.scanGradients(scan, ga, pa, 2);
        pass.scanUpdates(scan, ua, 2);
        FlatSegments seg = pass.segments(ga, pa);
        int unit = 4000;
        double[] unitsG = new double[lengths[0] / unit];
        double[] unitsW = new double[lengths[0] / unit];
        seg.unitSumSq(0, lengths[0], unit, false, unitsG);
        seg.unitSumSq(0, lengths[0], unit, true, unitsW);
        double clampedSq = seg.clampedSumSq(0, lengths[0], 0.5, 4e-4);

        double clamped = 0;
        double[] exactUnitsG = new double[unitsG.length];
        double[] exactUnitsW = new double[unitsW.length];
        for (int i = 0; i < lengths[0]; i++) {
            double c = Math.max(-4e-4, Math.min(4e-4, g[i] * 0.5));
            clamped += c * c;
            exactUnitsG[i / unit] += (double) g[i] * g[i];
            exactUnitsW[i / unit] += (double) p[i] * p[i];
        }
        for (int s = 0, from = 0; s < lengths.length; from += lengths[s], s++) {
            double sq = 0, abs = 0, max = 0, psq = 0, usq = 0;
            long zeros = 0, nan = 0;
            for (int i = from; i < from + lengths[s]; i++) {
                double x = g[i];
                psq += (double) p[i] * p[i];
                usq += (double) u[i] * u[i];
                if (Double.isNaN(x)) {
                    nan++;
                    continue;
                }
                sq += x * x;
                abs += Math.abs(x);
                max = Math.max(max, Math.abs(x));
                zeros += x == 0 ? 1 : 0;
            }
            assertThat(scan.nan[s]).as("segment %s NaN", s).isEqualTo(nan);
            assertThat(scan.inf[s]).as("segment %s Inf", s).isZero();
            assertThat(scan.zeros[s]).as("segment %s zeros", s).isEqualTo(zeros);
            assertThat(scan.maxAbs[s]).as("segment %s max |g|", s).isEqualTo(max);
            assertThat(relative(scan.sumSq[s], sq)).as("segment %s sum of squares", s).isLessThan(1e-6);
            assertThat(relative(scan.sumAbs[s], abs)).as("segment %s sum |g|", s).isLessThan(1e-6);
            assertThat(relative(scan.paramSumSq[s], psq)).as("segment %s params", s).isLessThan(1e-6);
            assertThat(relative(scan.updateSumSq[s], usq)).as("segment %s updates", s).isLessThan(1e-6);
        }
        assertThat(relative(clampedSq, clamped)).as("clamped sum of squares").isLessThan(1e-6);
        for (int k = 0; k < unitsG.length; k++) {
            assertThat(relative(unitsG[k], exactUnitsG[k])).as("gradient unit %s", k).isLessThan(1e-6);
            assertThat(relative(unitsW[k], exactUnitsW[k])).as("weight unit %s", k).isLessThan(1e-6);
        }
    }

    private static double relative(double actual, double expected) {
        return Math.abs(actual - expected) / Math.abs(expected);
    }
}
