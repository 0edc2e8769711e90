package io.github.dl4jgradmon.samples;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.clip.GradientClipping;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

/** The samples show what their comments say they show: the outcomes the tour's summary is built from. */
class SamplesTest {

    private final ByteArrayOutputStream text = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(text);

    @Test
    void deepSigmoidVanishesAndReluFixesIt() {
        double ratio = VanishingGradientsSample.run(out);
        assertThat(ratio).as("first/last layer norm ratio of the sigmoid net").isLessThan(1e-4);
        assertThat(text.toString()).contains("Deep sigmoid MLP", "Activation.RELU");
    }

    @Test
    void explodingRnnDivergesUnclippedAndClippingKeepsItFiniteAndLower() {
        Map<String, GradientClipping> strategies = new LinkedHashMap<>();
        strategies.put("none", null);
        strategies.put("globalNorm", GradientClipping.globalNorm(1.0));
        strategies.put("zClip", GradientClipping.zClip(0.97, 2.5, 25, 5.0));
        List<ExplodingGradientsSample.Outcome> o = ExplodingGradientsSample.run(out, strategies, 50);

        assertThat(o.get(0).diverged()).isTrue();
        assertThat(o.get(0).firstExplodingAlert()).as("alerted before the first NaN").isNotNegative()
                .isLessThan(o.get(0).firstNonFinite());
        for (ExplodingGradientsSample.Outcome clipped : o.subList(1, 3)) {
            assertThat(clipped.diverged()).as(clipped.name()).isFalse();
            assertThat(clipped.finalLoss()).as(clipped.name()).isFinite().isLessThan(clipped.firstLoss());
            assertThat(clipped.clippedSteps()).isPositive();
        }
    }

    @Test
    void poisonedBatchesAreSkippedAndTrainingReachesTheCleanLoss() {
        PoisonedBatchSample.Outcome o = PoisonedBatchSample.run(out, 80, Set.of(20, 50));
        assertThat(o.unprotectedLoss()).isNaN();
        assertThat(o.skipped()).isEqualTo(2);
        assertThat(o.protectedLoss()).isCloseTo(o.cleanLoss(), withinPercentage(5));
        assertThat(o.firstNonFinite()).hasValueSatisfying(a -> assertThat(a.iteration()).isEqualTo(20));
    }

    @Test
    void deadReluUnitsAreFlaggedAndTheLeakyTwinIsNot() {
        DyingReluSample.Outcome o = DyingReluSample.run(out);
        assertThat(o.reluAlert()).hasValueSatisfying(a -> assertThat(a.type()).isEqualTo(AlertType.DEAD_UNITS));
        assertThat(o.leakyAlerted()).isFalse();
    }

    @Test
    void residualGraphIsHealthyAndParallelWrapperKeepsTwoWorkers() {
        GraphAndParallelSample.Outcome o = GraphAndParallelSample.run(out);
        assertThat(o.graph().alerts()).noneMatch(a -> a.severity().isAtLeast(Severity.WARNING));
        assertThat(o.graph().latest().orElseThrow().layers()).extracting(l -> l.name())
                .containsExactly("stem", "block_a", "block_b", "out");
        assertThat(o.parallel().workers()).hasSize(2);
        assertThat(o.parallel().history()).hasSize(60);
    }
}
