package io.github.dl4jgradmon;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

/**
 * Pins the DL4J 1.0.0-M2.1 behaviour the monitor rests on. If an upgrade of DL4J changes any of it, this fails first.
 */
class CallbackOrderFactsTest {

    private static final class Recorder extends BaseTrainingListener {
        final List<String> events = new ArrayList<>();
        INDArray paramsAtForward;
        INDArray paramsAtGradient;
        INDArray gradientAtGradient;
        INDArray gradientAtIterationDone;
        int iterationAtGradient = -1;
        int iterationArgument = -1;

        @Override
        public void onForwardPass(Model model, List<INDArray> activations) {
            events.add("forward");
            // called inside a workspace (see DL4J-NOTES): copy out of it
            try (MemoryWorkspace ws =
                         Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                paramsAtForward = ((MultiLayerNetwork) model).params().dup();
            }
        }

        @Override
        public void onBackwardPass(Model model) {
            events.add("backward");
        }

        @Override
        public void onGradientCalculation(Model model) {
            events.add("gradient");
            MultiLayerNetwork net = (MultiLayerNetwork) model;
            paramsAtGradient = net.params().dup();
            gradientAtGradient = net.getGradientsViewArray().dup();
            iterationAtGradient = net.getIterationCount();
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            events.add("done");
            gradientAtIterationDone = ((MultiLayerNetwork) model).getGradientsViewArray().dup();
            iterationArgument = iteration;
        }
    }

    @Test
    void gradientIsRawSumBeforeUpdateAndViewHoldsAppliedUpdateAfterwards() {
        double lr = 0.1;
        MultiLayerNetwork net = Nets.mlp(new Sgd(lr), DataType.DOUBLE, 5, 7, 3);
        Recorder r = new Recorder();
        net.setListeners(r);
        DataSet data = Nets.classification(1, 8, 5, 3);
        data.setFeatures(data.getFeatures().castTo(DataType.DOUBLE));
        data.setLabels(data.getLabels().castTo(DataType.DOUBLE));
        INDArray before = net.params().dup();
        net.fit(data);
        INDArray after = net.params().dup();

        assertThat(r.events).containsExactly("forward", "backward", "gradient", "done");
        assertThat(r.paramsAtGradient).as("params untouched at onGradientCalculation").isEqualTo(before);
        assertThat(r.paramsAtForward).as("params final at onForwardPass").isEqualTo(r.paramsAtGradient);
        INDArray applied = before.sub(after);
        // raw gradient at onGradientCalculation = batch size x the averaged gradient that SGD applied
        assertThat(r.gradientAtGradient.norm2Number().doubleValue())
                .isCloseTo(applied.div(lr).mul(8).norm2Number().doubleValue(), withinPercentage(1e-6));
        // at iterationDone the gradient view holds the update itself (lr already applied)
        assertThat(r.gradientAtIterationDone.sub(applied).norm2Number().doubleValue()).isLessThan(1e-12);
        assertThat(r.iterationAtGradient).isZero();
        assertThat(r.iterationArgument).as("iterationDone gets the count before its increment").isZero();
        assertThat(net.getIterationCount()).isEqualTo(1);
    }

    @Test
    void paramTableOrderMatchesFlatBufferLayout() {
        MultiLayerNetwork net = Nets.sgdMlp(4, 3, 2);
        INDArray flat = net.params();
        long offset = 0;
        for (Map.Entry<String, INDArray> e : net.paramTable(false).entrySet()) {
            INDArray view = Nd4j.toFlattened('f', e.getValue());
            for (int i = 0; i < view.length(); i++) {
                assertThat(flat.getDouble(offset + i)).as("%s[%d] at offset %d", e.getKey(), i, offset)
                        .isEqualTo(view.getDouble(i));
            }
            offset += view.length();
        }
        assertThat(offset).isEqualTo(flat.length());
    }
}
