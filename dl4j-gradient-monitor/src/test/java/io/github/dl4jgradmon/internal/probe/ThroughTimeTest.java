package io.github.dl4jgradmon.internal.probe;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.internal.alert.Faults;
import io.github.dl4jgradmon.model.LayerSlot;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ThroughTimeTest {

    private static final List<LayerSlot> LAYERS = List.of(new LayerSlot("rnn", 0, "LastTimeStep", List.of()),
            new LayerSlot("out", 1, "OutputLayer", List.of()));

    private static GradientAlert stalled(long iteration) {
        return new GradientAlert(AlertType.STALLED, Severity.WARNING, "0", iteration, GradientAlert.MODEL,
                Optional.empty(), 1.09, 0.549, "The loss has gone nowhere: its mean is 1.09", "shuffle");
    }

    private static GradientAlert other(long iteration) {
        return new GradientAlert(AlertType.UPDATE_RATIO, Severity.INFO, "0", iteration, "out", Optional.empty(),
                -7, -6, "small updates", "raise the learning rate");
    }

    /** A SimpleRnn over 30 steps holding a minibatch, its recurrent weights all {@code recurrent}. */
    private static MultiLayerNetwork holding(double recurrent) {
        MultiLayerNetwork net = ProbeNets.simpleRnn(3, 4, recurrent);
        net.setInput(ProbeNets.sequences(9, DataType.DOUBLE, 4, 3, 30));
        net.setLabels(ProbeNets.oneHot(DataType.DOUBLE, 4, 3));
        return net;
    }

    @Test
    void firstStepsBelowOneThousandthOfTheLastVanish() {
        assertThat(ThroughTime.vanishes(new TimeProfile(300, 30, 0.999e-3, 1.0, 20))).isTrue();
        assertThat(ThroughTime.vanishes(new TimeProfile(300, 30, 1.0e-3, 1.0, 20))).isFalse();
        assertThat(ThroughTime.vanishes(new TimeProfile(300, 30, 0.0, 0.0, 0))).as("no gradient at all").isFalse();
    }

    @Test
    void replacesStalledWithVanishingOnTheRecurrentLayerWhenTheGradientDoesNotReachTheFirstSteps() {
        Faults faults = new Faults();
        List<GradientAlert> raised = List.of(other(250), stalled(250));

        List<GradientAlert> out = new ThroughTime().explain(raised, holding(0.01), LAYERS, 250, faults);

        assertThat(out).hasSize(2);
        assertThat(out.get(0)).isSameAs(raised.get(0));
        GradientAlert v = out.get(1);
        assertThat(v.type()).isEqualTo(AlertType.VANISHING);
        assertThat(v.severity()).isEqualTo(Severity.WARNING);
        assertThat(v.iteration()).isEqualTo(250);
        assertThat(v.layer()).isEqualTo("rnn");
        assertThat(v.value()).isLessThan(ThroughTime.MAX_RATIO);
        assertThat(v.threshold()).isEqualTo(ThroughTime.MAX_RATIO);
        assertThat(v.message()).contains("vanishes through time in layer 'rnn' (LastTimeStep)",
                "sequences of 30 steps", "first 3 steps", "the loss has gone nowhere: its mean is 1.09");
        assertThat(v.hint()).contains(".backpropType(BackpropType.TruncatedBPTT).tBPTTLength(",
                "new Bidirectional(", "SelfAttentionLayer", ".forgetGateBiasInit(1.0)", "reverse the sequences");
        assertThat(faults.count()).isZero();
    }

    @Test
    void keepsStalledWhenTheGradientReachesTheFirstSteps() {
        // one linear unit whose recurrent weight is 1: every step's input reaches the output undiminished
        MultiLayerNetwork net = ProbeNets.simpleRnn(3, 1, 1.0, Activation.IDENTITY);
        net.setInput(ProbeNets.sequences(9, DataType.DOUBLE, 4, 3, 30));
        net.setLabels(ProbeNets.oneHot(DataType.DOUBLE, 4, 3));
        List<GradientAlert> raised = List.of(stalled(250));

        assertThat(new ThroughTime().explain(raised, net, LAYERS, 250, new Faults())).isSameAs(raised);
    }

    @Test
    void probesNothingWhenNothingStalled() {
        ThroughTime t = new ThroughTime(1);
        List<GradientAlert> raised = List.of(other(300));

        assertThat(t.explain(raised, holding(0.01), LAYERS, 300, new Faults())).isSameAs(raised);
        assertThat(t.explain(List.of(), holding(0.01), LAYERS, 301, new Faults())).isEmpty();
        assertThat(t.probes()).isZero();
    }

    @Test
    void probesAtMostOncePerHundredIterationsAndKeepsTheVerdictBetween() {
        ThroughTime t = new ThroughTime();
        MultiLayerNetwork net = holding(0.01);
        Faults faults = new Faults();

        assertThat(t.explain(List.of(stalled(200)), net, LAYERS, 200, faults).get(0).type())
                .isEqualTo(AlertType.VANISHING);
        assertThat(t.explain(List.of(stalled(299)), net, LAYERS, 299, faults).get(0).type())
                .isEqualTo(AlertType.VANISHING);
        assertThat(t.probes()).isEqualTo(1);
        t.explain(List.of(stalled(300)), net, LAYERS, 300, faults);
        assertThat(t.probes()).isEqualTo(2);
    }

    @Test
    void aFailingProbeIsContainedCountedOnceAndTurnsProbingOff() {
        ThroughTime t = new ThroughTime(1);
        MultiLayerNetwork net = holding(0.01);
        net.setLabels(ProbeNets.oneHot(DataType.DOUBLE, 4, 7)); // 7 classes for a 3-unit output: backprop throws
        Faults faults = new Faults();
        List<GradientAlert> raised = List.of(stalled(200));

        assertThat(t.explain(raised, net, LAYERS, 200, faults)).isSameAs(raised);
        assertThat(t.explain(raised, net, LAYERS, 201, faults)).isSameAs(raised);

        assertThat(faults.count()).isEqualTo(1);
        assertThat(t.probes()).isEqualTo(1);
    }

    @Test
    void leavesNetworksItCannotProbeAlone() {
        ThroughTime t = new ThroughTime(1);
        List<GradientAlert> raised = List.of(stalled(200));

        assertThat(t.explain(raised, null, LAYERS, 200, new Faults())).as("not a MultiLayerNetwork").isSameAs(raised);
        MultiLayerNetwork shortSequences = ProbeNets.simpleRnn(3, 4, 0.01);
        shortSequences.setInput(ProbeNets.sequences(9, DataType.DOUBLE, 4, 3, 10));
        shortSequences.setLabels(ProbeNets.oneHot(DataType.DOUBLE, 4, 3));
        assertThat(t.explain(raised, shortSequences, LAYERS, 201, new Faults())).isSameAs(raised);
    }
}
