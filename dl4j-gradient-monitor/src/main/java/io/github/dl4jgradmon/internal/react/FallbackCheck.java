package io.github.dl4jgradmon.internal.react;

import io.github.dl4jgradmon.internal.model.ModelAdapter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.longer.MatchCondition;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.conditions.Condition;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * The cheapest check of a step that does not depend on the monitor's statistics: the score's finiteness, and the
 * number of NaN and Inf entries of the flat gradient counted by two ND4J operations (correct on every backend; NaN
 * and Inf separately, since {@code Conditions.notFinite()} matches nothing on CPU in ND4J 1.0.0-M2.1). Used when the
 * statistics or a reaction failed on a step that step skipping must check.
 */
final class FallbackCheck {

    /** The outcome: {@code finite} when score and gradient are finite; else what was found. */
    record Verdict(boolean finite, String what) {
    }

    private FallbackCheck() {
    }

    /**
     * @throws IllegalStateException when the model has no gradient to check; any failure of ND4J passes
     */
    static Verdict check(ModelAdapter adapter) {
        double score = adapter.score();
        if (!Double.isFinite(score)) {
            return new Verdict(false, "score " + score);
        }
        INDArray g = adapter.gradients();
        if (g == null) {
            throw new IllegalStateException("the model has no gradient to check");
        }
        long nan = count(g, Conditions.isNan());
        long inf = count(g, Conditions.isInfinite());
        if (nan + inf > 0) {
            return new Verdict(false, nan + " NaN and " + inf + " Inf in the gradient");
        }
        return new Verdict(true, "finite");
    }

    private static long count(INDArray a, Condition c) {
        return Nd4j.getExecutioner().exec(new MatchCondition(a, c)).getLong(0);
    }
}
