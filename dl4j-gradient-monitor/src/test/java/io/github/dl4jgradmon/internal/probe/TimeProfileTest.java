package io.github.dl4jgradmon.internal.probe;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TimeProfileTest {

    @Test
    void averagesATenthOfTheStepsAtEachEndAndCountsTheReachFromTheLastStep() {
        double[] norms = new double[20];
        Arrays.fill(norms, 0.5);
        norms[0] = 0.001;
        norms[1] = 0.003;
        norms[5] = 0.02; // below 1% of the last steps' 3.0: the last step left behind, 14 steps back from step 19
        norms[18] = 2.0;
        norms[19] = 4.0;

        TimeProfile p = TimeProfile.of(norms);

        assertThat(p.steps()).isEqualTo(20);
        assertThat(p.edge()).isEqualTo(2);
        assertThat(p.early()).isCloseTo(0.002, within(1e-15));
        assertThat(p.late()).isCloseTo(3.0, within(1e-15));
        assertThat(p.ratio()).isCloseTo(0.002 / 3.0, within(1e-15));
        assertThat(p.reach()).isEqualTo(14);
    }

    @Test
    void reachIsTheWholeSequenceWhenNoStepFallsBelowOnePercentOfTheLast() {
        double[] norms = new double[30];
        Arrays.fill(norms, 1.0);
        norms[0] = 0.0100001; // just above 1% of the last steps' 1.0

        assertThat(TimeProfile.of(norms).reach()).isEqualTo(30);
    }

    @Test
    void aStepAtExactlyOnePercentIsStillReached() {
        double[] norms = new double[10];
        Arrays.fill(norms, 1.0);
        norms[3] = 0.01;
        norms[2] = 0.0099;

        assertThat(TimeProfile.of(norms).reach()).isEqualTo(7);
    }

    @Test
    void rejectsAProfileWithoutSteps() {
        assertThatThrownBy(() -> TimeProfile.of(new double[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("norms must hold one value per time step (got: 0 steps)");
    }
}
