package io.github.dl4jgradmon.suite;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ConvergenceTest {

    @Test
    void aLossStillFallingByMoreThanOnePercentOfItsStartIsNotFlat() {
        // start 2.0; windows of 50 at 1.0 then 0.97: a fall of 0.03 = 1.5% of 2.0
        double[] l = losses(2.0, 1.0, 0.97);
        assertThat(Convergence.flat(l, l.length)).isFalse();
    }

    @Test
    void aLossFallingByLessThanOnePercentOfItsStartIsFlat() {
        // a fall of 0.019 = 0.95% of 2.0
        double[] l = losses(2.0, 1.0, 0.981);
        assertThat(Convergence.flat(l, l.length)).isTrue();
    }

    @Test
    void tooFewIterationsAreNeverFlat() {
        double[] l = new double[99];
        Arrays.fill(l, 1.0);
        assertThat(Convergence.flat(l, 99)).isFalse();
    }

    @Test
    void chanceOfUniformGuessIsLnK() {
        assertThat(Chance.classes(4).loss(List.of())).isCloseTo(1.3862944, within(1e-6));
        assertThat(Chance.classes(5, 5).loss(List.of())).isCloseTo(2 * 1.6094379, within(1e-6));
        assertThat(Chance.perStep(4, 30).loss(List.of())).isCloseTo(30 * 1.3862944, within(1e-5));
    }

    @Test
    void chanceOfMseIsTheMeanLabelVariance() {
        // column 0: {1, 3, 5, 7} -> variance 5; column 1: {0, 0, 2, 2} -> variance 1; mean 3
        DataSet a = new DataSet(Nd4j.zeros(2, 1), Nd4j.create(new float[][] {{1, 0}, {3, 0}}));
        DataSet b = new DataSet(Nd4j.zeros(2, 1), Nd4j.create(new float[][] {{5, 2}, {7, 2}}));
        assertThat(Chance.labelVariance().loss(List.of(a, b))).isCloseTo(3.0, within(1e-9));
    }

    /** 10 start iterations at {@code start}, then 90 at {@code previous} and 50 at {@code last}. */
    private static double[] losses(double start, double previous, double last) {
        double[] l = new double[150];
        Arrays.fill(l, 0, 10, start);
        Arrays.fill(l, 10, 100, previous);
        Arrays.fill(l, 100, 150, last);
        return l;
    }
}
