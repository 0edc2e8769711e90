package io.github.dl4jgradmon;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * Another listener that puts a NaN into the raw gradient the first time it sees the given iteration; placed before
 * the monitor, it poisons a step the monitor then measures.
 */
final class NanOnce extends BaseTrainingListener {
    private final int at;
    private boolean done;

    NanOnce(int at) {
        this.at = at;
    }

    @Override
    public void onGradientCalculation(Model model) {
        if (!done && ((MultiLayerNetwork) model).getIterationCount() == at) {
            done = true;
            model.getGradientsViewArray().putScalar(3, Double.NaN);
        }
    }
}
