package io.github.dl4jgradmon.internal.probe;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.internal.alert.Faults;
import io.github.dl4jgradmon.model.LayerSlot;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The probe backpropagates a copy of the network while it trains. An LSTM with dropout draws from the training
 * thread's ND4J random generator every step, so a probe that ran its forward pass on that thread, or any draw of
 * its own there, would change every later dropout mask and thus the trained parameters.
 */
class ProbeLeavesTrainingAloneTest {

    private static final int ITERATIONS = 12;
    private static final List<LayerSlot> LAYERS = List.of(new LayerSlot("0", 0, "LastTimeStep", List.of()));

    private static List<DataSet> data() {
        List<DataSet> out = new ArrayList<>();
        for (int b = 0; b < 3; b++) {
            out.add(new DataSet(ProbeNets.sequences(100 + b, DataType.FLOAT, 8, 3, 25),
                    ProbeNets.oneHot(DataType.FLOAT, 8, 3)));
        }
        return out;
    }

    private static MultiLayerNetwork train(TrainingListener listener) {
        List<DataSet> data = data();
        MultiLayerNetwork net = ProbeNets.lstmWithDropout();
        net.setListeners(listener);
        Nd4j.getRandom().setSeed(42);
        for (int i = 0; i < ITERATIONS; i++) {
            net.fit(data.get(i % data.size()));
        }
        return net;
    }

    private static GradientAlert stalled(long iteration) {
        return new GradientAlert(AlertType.STALLED, Severity.WARNING, "0", iteration, GradientAlert.MODEL,
                Optional.empty(), 1.09, 0.549, "the loss has gone nowhere", "shuffle");
    }

    @Test
    void parametersAndUpdaterStateStayBitIdenticalWhenTheProbeRunsAfterEveryStepOfAnLstmWithDropout() {
        MultiLayerNetwork plain = train(new BaseTrainingListener() {
        });
        ThroughTime probe = new ThroughTime(1);
        Faults faults = new Faults();
        MultiLayerNetwork probed = train(new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                probe.explain(List.of(stalled(iteration)), (MultiLayerNetwork) model, LAYERS, iteration, faults);
            }
        });

        assertThat(probe.probes()).isEqualTo(ITERATIONS);
        assertThat(faults.count()).isZero();
        assertThat(probed.params().toFloatVector()).containsExactly(plain.params().toFloatVector());
        assertThat(probed.getUpdater().getStateViewArray().toFloatVector())
                .containsExactly(plain.getUpdater().getStateViewArray().toFloatVector());
    }

    @Test
    void aProbeOnTheTrainingThreadWouldChangeTheTrainedParameters() {
        MultiLayerNetwork plain = train(new BaseTrainingListener() {
        });
        MultiLayerNetwork naive = train(new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                MultiLayerNetwork net = (MultiLayerNetwork) model;
                net.clone().calculateGradients(net.getInput().dup(), net.getLabels().dup(), null, null);
            }
        });

        assertThat(naive.params().toFloatVector()).isNotEqualTo(plain.params().toFloatVector());
    }
}
