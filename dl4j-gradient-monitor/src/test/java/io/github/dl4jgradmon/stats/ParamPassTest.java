package io.github.dl4jgradmon.stats;

import io.github.dl4jgradmon.model.LayerSlot;
import io.github.dl4jgradmon.model.ModelLayout;
import io.github.dl4jgradmon.model.ParamSlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The parameters' pass run ahead on a helper thread gives the sums of the synchronous pass, or says it has none. */
class ParamPassTest {

    private static final int N = 3 * LayoutScanner.PIECE + 11;

    private static ModelLayout layout(int n) {
        return new ModelLayout(List.of(new LayerSlot("a", 0, "T", List.of(new ParamSlot("W", 0, 1000),
                new ParamSlot("b", 1000, n - 1000)))), n);
    }

    private static INDArray random(long seed, int n, DataType type) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt(7) == 0 ? 0 : r.nextGaussian();
        }
        return Nd4j.create(v, new long[] {1, n}, type);
    }

    /** Sum of squares per segment in double, independent of the kernels. */
    private static double[] plain(INDArray a) {
        double[] out = new double[2];
        for (int i = 0; i < N; i++) {
            double x = a.getDouble(i);
            out[i < 1000 ? 0 : 1] += x * x;
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void theSumsCollectedAreThoseOfTheSynchronousPass(DataType type) {
        INDArray g = random(1, N, type);
        INDArray p = random(2, N, type);
        LayoutScanner expected = new LayoutScanner(layout(N));
        expected.scanGradients(FlatBuffer.of(g), FlatBuffer.of(p), 1);

        LayoutScanner scan = new LayoutScanner(layout(N));
        ParamPass ahead = new ParamPass(new Helper("gradmon-helper"));
        ahead.start(scan, p, 7);
        assertThat(ahead.collect(scan, 7)).isTrue();
        scan.scanGradients(FlatBuffer.of(g), null, 1); // leaves the parameters' sums alone

        assertThat(ahead.lastThread()).isNotSameAs(Thread.currentThread());
        assertThat(ahead.lastThread().getName()).startsWith("gradmon-helper-");
        assertThat(scan.paramSumSq).containsExactly(expected.paramSumSq); // same kernel, same order: equal
        assertThat(scan.sumSq).containsExactly(expected.sumSq);
        double[] independent = plain(p);
        for (int s = 0; s < 2; s++) {
            assertThat(scan.paramSumSq[s]).isCloseTo(independent[s], org.assertj.core.data.Percentage.withPercentage(1e-3));
        }
    }

    @Test
    void aPassForAnotherStepOrScannerIsNotCollected() {
        INDArray p = random(3, N, DataType.FLOAT);
        LayoutScanner scan = new LayoutScanner(layout(N));
        ParamPass ahead = new ParamPass(new Helper("gradmon-helper"));
        ahead.start(scan, p, 4);
        assertThat(ahead.collect(scan, 5)).as("started for iteration 4").isFalse();
        assertThat(ahead.collect(scan, 4)).as("already dropped").isFalse();
        ahead.start(scan, p, 6);
        assertThat(ahead.collect(new LayoutScanner(layout(N)), 6)).as("another scanner (the layout changed)")
                .isFalse();
    }

    @Test
    void aFailingPassIsRethrownToTheCollectorAndTheNextPassRuns() {
        INDArray p = random(4, N, DataType.FLOAT);
        LayoutScanner wrong = new LayoutScanner(layout(N + 5)); // refuses a buffer of another length
        ParamPass ahead = new ParamPass(new Helper("gradmon-helper"));
        ahead.start(wrong, p, 1);
        assertThatThrownBy(() -> ahead.collect(wrong, 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the layout expects");

        ahead.start(wrong, p, 2);
        ahead.discard(); // a failure of a dropped pass is not news
        LayoutScanner right = new LayoutScanner(layout(N));
        ahead.start(right, p, 3);
        assertThat(ahead.collect(right, 3)).isTrue();
        LayoutScanner expected = new LayoutScanner(layout(N));
        expected.scanParams(FlatBuffer.of(p), 1);
        assertThat(right.paramSumSq).containsExactly(expected.paramSumSq);
    }

    @Test
    void aHelperThatRefusesWorkLeavesTheParametersToTheGradientPass() {
        INDArray p = random(5, N, DataType.FLOAT);
        LayoutScanner scan = new LayoutScanner(layout(N));
        ParamPass ahead = new ParamPass(job -> {
            throw new java.util.concurrent.RejectedExecutionException("no thread can be started");
        });
        ahead.start(scan, p, 3);
        assertThat(ahead.collect(scan, 3)).as("nothing ran ahead: the caller reads them").isFalse();
    }
}
