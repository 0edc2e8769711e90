package io.github.dl4jgradmon;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * Another listener that fails once in {@code onGradientCalculation} at the given iteration; placed after the monitor,
 * it aborts a step the monitor has already measured.
 */
final class FailOnce extends BaseTrainingListener {
    private final int at;
    private boolean done;

    FailOnce(int at) {
        this.at = at;
    }

    @Override
    public void onGradientCalculation(Model model) {
        if (!done && ((MultiLayerNetwork) model).getIterationCount() == at) {
            done = true;
            throw new IllegalStateException("simulated failure of another listener");
        }
    }
}
