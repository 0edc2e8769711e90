package io.github.dl4jgradmon.clip;

import io.github.dl4jgradmon.internal.react.ClipPlan;
import io.github.dl4jgradmon.internal.stats.LayoutScanner;
import io.github.dl4jgradmon.internal.stats.StatsPass;
import io.github.dl4jgradmon.model.LayerSlot;
import io.github.dl4jgradmon.model.ModelLayout;
import io.github.dl4jgradmon.model.ParamSlot;
import io.github.dl4jgradmon.stats.BufferPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * AutoClip and ZClip over a sequence of gradients whose norms are set exactly, checked against the papers' rules
 * computed here step by step.
 */
class AdaptiveClippingTest {

    private static final int N = 16;
    private final ModelLayout layout = new ModelLayout(List.of(new LayerSlot("l", 0, "DenseLayer",
            List.of(new ParamSlot("W", 0, N)))), N);
    private final LayoutScanner scan = new LayoutScanner(layout);

    /** A gradient of norm {@code norm} (all entries equal), batch size 1; returns the norm after clipping. */
    private double step(GradientClipping.Session session, double norm, double[] thresholdOut) {
        INDArray g = Nd4j.valueArrayOf(new long[] {1, N}, norm / Math.sqrt(N), DataType.DOUBLE);
        INDArray p = Nd4j.ones(DataType.DOUBLE, 1, N);
        StatsPass pass = StatsPass.of(BufferPath.HOST);
        pass.scanGradients(scan, g, p, 1);
        ClipPlan target = new ClipPlan(scan, pass.segments(g, p), 1);
        thresholdOut[0] = session.apply(target);
        target.commit();
        assertThat(target.globalNorm()).isCloseTo(g.norm2Number().doubleValue(), within(1e-9));
        return g.norm2Number().doubleValue();
    }

    @Test
    void autoClipClipsAtThePercentileOfTheNormsSeenSoFar() {
        double[] norms = {1, 4, 2, 8, 3, 100, 5, 2.5};
        GradientClipping.Session session = GradientClipping.autoClip(50, 5).newSession();
        List<Double> history = new ArrayList<>();
        double[] t = new double[1];
        for (double norm : norms) {
            history.add(norm);
            List<Double> window = history.subList(Math.max(0, history.size() - 5), history.size());
            double[] sorted = window.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double rank = 0.5 * (sorted.length - 1);
            double expected = sorted[(int) Math.floor(rank)]
                    + (rank - Math.floor(rank)) * (sorted[(int) Math.ceil(rank)] - sorted[(int) Math.floor(rank)]);
            double after = step(session, norm, t);
            assertThat(t[0]).as("threshold after norm %s", norm).isCloseTo(expected, within(1e-12));
            assertThat(after).isCloseTo(norm > expected ? expected * norm / (norm + 1e-6) : norm, within(1e-9));
        }
    }

    @Test
    void zClipWarmsUpThenClipsSpikesAndFeedsTheClippedNormToItsEma() {
        double alpha = 0.9;
        double z = 2.0;
        int warmup = 4;
        GradientClipping.Session session = GradientClipping.zClip(alpha, z, warmup).newSession();
        double[] norms = {1.0, 1.2, 0.8, 1.1, 1.05, 9.0, 1.0};
        double[] t = new double[1];
        double mean = 0;
        double var = 0;
        for (int i = 0; i < norms.length; i++) {
            double after = step(session, norms[i], t);
            if (i < warmup) {
                assertThat(after).as("no clipping during warm-up").isCloseTo(norms[i], within(1e-12));
                if (i == warmup - 1) {
                    mean = Arrays.stream(norms, 0, warmup).average().orElseThrow();
                    double m = mean;
                    var = Arrays.stream(norms, 0, warmup).map(v -> (v - m) * (v - m)).sum() / warmup;
                }
                continue;
            }
            double std = Math.sqrt(var);
            double zScore = (norms[i] - mean) / std;
            double used = zScore > z ? mean + z * std / (zScore / z) : norms[i];
            double expectedAfter = zScore > z ? used * norms[i] / (norms[i] + 1e-6) : norms[i];
            assertThat(after).as("iteration %d", i).isCloseTo(expectedAfter, within(1e-9));
            if (i == 5) {
                assertThat(zScore).as("the spike").isGreaterThan(z);
                assertThat(after).isLessThan(norms[i] / 2);
            }
            mean = alpha * mean + (1 - alpha) * used;
            var = alpha * var + (1 - alpha) * (used - mean) * (used - mean);
        }
    }

    @Test
    void zClipHardCapAppliesFromTheFirstIteration() {
        GradientClipping.Session session = GradientClipping.zClip(0.97, 2.5, 25, 2.0).newSession();
        double[] t = new double[1];
        assertThat(step(session, 1.5, t)).as("under the cap").isCloseTo(1.5, within(1e-12));
        assertThat(step(session, 8.0, t)).as("capped during warm-up").isCloseTo(2.0 * 8 / (8 + 1e-6), within(1e-9));
        assertThatThrownBy(() -> GradientClipping.zClip(0.97, 2.5, 25, 0)).hasMessage("maxNorm must be > 0 (got: 0.0)");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -1, Double.NaN, Double.POSITIVE_INFINITY})
    void badThresholdsAreRejectedNamingTheOption(double bad) {
        assertThatThrownBy(() -> GradientClipping.globalNorm(bad)).hasMessageContaining("maxNorm must be > 0")
                .hasMessageContaining(String.valueOf(bad));
        assertThatThrownBy(() -> GradientClipping.perLayer(bad)).hasMessageContaining("maxNorm");
        assertThatThrownBy(() -> GradientClipping.perParamType(bad)).hasMessageContaining("maxNorm");
        assertThatThrownBy(() -> GradientClipping.value(bad)).hasMessageContaining("maxValue");
        assertThatThrownBy(() -> GradientClipping.agc(bad)).hasMessageContaining("lambda must be > 0");
        assertThatThrownBy(() -> GradientClipping.agc(0.01, bad, true)).hasMessageContaining("eps");
        assertThatThrownBy(() -> GradientClipping.zClip(0.97, bad, 25)).hasMessageContaining("zThreshold");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -5, 100.0001, 250, Double.NaN})
    void percentileOutsideZeroToHundredIsRejected(double bad) {
        assertThatThrownBy(() -> GradientClipping.autoClip(bad, 100))
                .hasMessage("percentile must be in (0, 100] (got: " + bad + ")");
    }

    @Test
    void otherBadArgumentsAreRejected() {
        assertThatThrownBy(() -> GradientClipping.autoClip(10, 0)).hasMessage("historySize must be >= 1 (got: 0)");
        assertThatThrownBy(() -> GradientClipping.zClip(1.0, 2.5, 25)).hasMessage("alpha must be in (0, 1) (got: 1.0)");
        assertThatThrownBy(() -> GradientClipping.zClip(0.97, 2.5, 1)).hasMessage("warmup must be >= 2 (got: 1)");
        assertThat(GradientClipping.autoClip(100, 1).name()).isEqualTo("autoClip");
    }
}
