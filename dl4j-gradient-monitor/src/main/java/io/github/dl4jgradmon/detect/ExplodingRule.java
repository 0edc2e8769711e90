package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.stats.GradientSnapshot;

/**
 * One of {@link ExplodingDetector}'s rules: decides one thing about a snapshot and names itself in front of the
 * message of the alert it raises ({@code "[growth] global gradient norm is ..."}). An instance holds one worker's
 * state for its rule and reads its options from the detector record itself; what the rules share about the run
 * (its scale, the loss) lives in {@link ExplodingRun}.
 */
abstract sealed class ExplodingRule permits ExplodingGrowthRule, ExplodingSizeRule, ExplodingSpikeRule,
        ExplodingLayerRatioRule, ExplodingCeilingRule {

    private final String name;
    final ExplodingDetector settings;

    ExplodingRule(String name, ExplodingDetector settings) {
        this.name = name;
        this.settings = settings;
    }

    /** The name alerts show in front of their message, and docs/alerts.md lists. */
    final String name() {
        return name;
    }

    /** The alert this snapshot raises under this rule, or null (the hot path allocates nothing for no alert). */
    abstract GradientAlert judge(GradientSnapshot s, ExplodingRun run);

    /** {@code message} as this rule's alerts show it: with the rule's name in front. */
    final String named(String message) {
        return "[" + name + "] " + message;
    }
}
