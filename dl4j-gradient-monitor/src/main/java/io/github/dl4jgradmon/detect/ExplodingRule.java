package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.stats.GradientSnapshot;

/**
 * One of {@link ExplodingDetector}'s rules: decides one thing about a snapshot and names itself in front of the
 * message of the alert it raises ({@code "[growth] global gradient norm is ..."}). An instance holds one worker's
 * state for its rule; what the rules share about the run (its scale, the loss) lives in {@link ExplodingRun}.
 */
interface ExplodingRule {

    /** The name alerts show in front of their message, and docs/alerts.md lists. */
    String name();

    /** The alert this snapshot raises under this rule, or null (the hot path allocates nothing for no alert). */
    GradientAlert judge(GradientSnapshot s, ExplodingRun run);

    /** {@code message} as this rule's alerts show it: with the rule's name in front. */
    default String named(String message) {
        return "[" + name() + "] " + message;
    }
}
