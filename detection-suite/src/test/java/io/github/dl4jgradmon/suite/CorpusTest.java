package io.github.dl4jgradmon.suite;

import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CI slice of the full corpus: its catalogue, and short runs (200 iterations, a few seconds each) of the
 * healthy models behind issue 9's findings and of the new problem cases. The whole corpus runs in the report
 * command ({@code DetectionSuiteReport --corpus}), not here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CorpusTest {

    private static final int SHORT = 200;
    /** Healthy models whose short runs CI checks: BN everywhere (finding 4), graphs, updaters, schedules, inits. */
    private static final List<String> HEALTHY_SLICE = List.of("bn-dense-relu-mlp", "multi-input-cg",
            "multi-task-cg", "adam-warmup-decay-mlp", "small-init-relu-mlp", "mixed-scale-features-adam-mlp");
    /** Problem cases whose runs CI checks (all cheap: a few thousand parameters). */
    private static final List<String> PROBLEM_SLICE = List.of("dying-deep-narrow-relu-mlp",
            "negative-features-kill-relu-mlp", "linear-normal-init-high-lr-mlp", "unnormalized-inputs-sgd-mlp",
            "all-zero-gradients-mlp", "stalled-deep-sigmoid-fixed-batch-mlp", "vanishing-deep-sigmoid-minibatches-mlp");

    private final Map<String, CaseResult> results = new TreeMap<>();

    @BeforeAll
    void runSlice() {
        CaseRunner.useOneNd4jThread();
        for (String name : HEALTHY_SLICE) {
            results.put(name, CaseRunner.run(Corpus.byName(name).limitedTo(SHORT)));
        }
        for (String name : PROBLEM_SLICE) {
            results.put(name, CaseRunner.run(Corpus.byName(name)));
        }
    }

    @Test
    void corpusHasAtLeast25HealthyModelsOfBothKindsAndUniqueNames() {
        assertThat(Corpus.healthy()).hasSizeGreaterThanOrEqualTo(25).allMatch(LabeledCase::healthy)
                .extracting(LabeledCase::networkKind).contains("MLN", "CG");
        assertThat(Corpus.all()).extracting(LabeledCase::name).doesNotHaveDuplicates();
        assertThat(Corpus.problems()).noneMatch(LabeledCase::healthy);
    }

    @Test
    void healthyCorpusCoversEveryCommonUpdaterAndTheZoo() {
        String text = Corpus.healthy().stream().map(LabeledCase::description).collect(Collectors.joining(" "));
        for (String updater : List.of("Sgd(", "Nesterovs(", "Adam(", "AdaMax(", "RmsProp(", "AdaGrad(")) {
            assertThat(text).as("an updater of the corpus").contains(updater);
        }
        Set<String> names = Corpus.healthy().stream().map(LabeledCase::name).collect(Collectors.toSet());
        assertThat(names).contains("zoo-lenet", "zoo-vgg16", "zoo-resnet50",
                "zoo-darknet19", "zoo-tinyyolo", "zoo-unet", "zoo-xception", "zoo-textgen-lstm");
    }

    @Test
    void healthySliceRaisesNoWarningOrCriticalAlertAndLearns() {
        for (String name : HEALTHY_SLICE) {
            CaseResult r = results.get(name);
            assertThat(r.alerts()).as(name).filteredOn(a -> a.severity().isAtLeast(Severity.WARNING))
                    .extracting(GradientAlert::message).isEmpty();
            assertThat(r.endLoss()).as(name + " end loss below its start").isLessThan(r.startLoss());
        }
    }

    @Test
    void problemSliceRaisesItsLabelAndAtMostOneOtherType() {
        for (String name : PROBLEM_SLICE) {
            CaseResult r = results.get(name);
            assertThat(r.raisedTypes()).as(name + " raised").contains(r.labeledCase().label().orElseThrow());
            assertThat(r.falseAlarmTypes()).as(name + " other types").hasSizeLessThanOrEqualTo(1);
        }
    }

    @Test
    void deadNetworkCaseHasExactlyZeroGradientsAndStaysAtChance() {
        // independent of the detectors: nothing fires, so the loss never moves from ln 4
        CaseResult r = results.get("all-zero-gradients-mlp");
        assertThat(r.startLoss()).isCloseTo(Math.log(4), Offset.offset(1e-3));
        assertThat(r.endLoss()).isCloseTo(Math.log(4), Offset.offset(1e-3));
    }
}
