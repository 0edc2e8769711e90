package io.github.dl4jgradmon.internal.probe;

import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TimeProbeTest {

    /**
     * The probe's per-step norms against central finite differences of the network's score, in double: dLoss/dx at
     * (example, channel, step) is (score(x + h) - score(x - h)) / 2h times the minibatch size (DL4J's score is the
     * minibatch mean, its input gradient that of the sum).
     */
    @Test
    void perStepNormsMatchFiniteDifferencesOfTheScore() {
        int mb = 2;
        int nIn = 2;
        int steps = 6;
        MultiLayerNetwork net = ProbeNets.simpleRnn(nIn, 3, 0.4);
        INDArray x = ProbeNets.sequences(5, DataType.DOUBLE, mb, nIn, steps);
        INDArray y = ProbeNets.sequences(6, DataType.DOUBLE, mb, nIn, 1).reshape(mb, nIn);

        double[] probed = TimeProbe.run(new TimeProbe.Request(net.getLayerWiseConfigurations().toJson(),
                net.params().dup(), x.dup(), y.dup(), 0, 2)).orElseThrow();

        double h = 1e-6;
        double[] expected = new double[steps];
        for (int t = 0; t < steps; t++) {
            double sum = 0;
            for (int i = 0; i < mb; i++) {
                for (int c = 0; c < nIn; c++) {
                    INDArray up = x.dup();
                    up.putScalar(new long[] {i, c, t}, x.getDouble(i, c, t) + h);
                    INDArray down = x.dup();
                    down.putScalar(new long[] {i, c, t}, x.getDouble(i, c, t) - h);
                    double d = mb * (net.score(new DataSet(up, y), false) - net.score(new DataSet(down, y), false))
                            / (2 * h);
                    sum += d * d;
                }
            }
            expected[t] = Math.sqrt(sum);
        }
        assertThat(probed).hasSize(steps);
        for (int t = 0; t < steps; t++) {
            assertThat(probed[t]).as("step %d", t).isCloseTo(expected[t], within(1e-6 * (1 + expected[t])));
        }
        assertThat(expected[0]).as("the first step gets less than the last").isLessThan(expected[steps - 1]);
    }

    @Test
    void prepareCopiesAtMostEightExamplesOutOfTheNetwork() {
        MultiLayerNetwork net = ProbeNets.lstmWithDropout();
        INDArray x = ProbeNets.sequences(1, DataType.FLOAT, 12, 3, TimeProbe.MIN_STEPS);
        net.setInput(x);
        net.setLabels(ProbeNets.oneHot(DataType.FLOAT, 12, 3));

        TimeProbe.Request r = TimeProbe.prepare(net).orElseThrow();

        assertThat(r.layer()).isZero();
        assertThat(r.timeAxis()).isEqualTo(2);
        assertThat(r.features().shape()).containsExactly(8, 3, TimeProbe.MIN_STEPS);
        assertThat(r.labels().shape()).containsExactly(8, 3);
        assertThat(r.features().isAttached()).isFalse();
        r.features().putScalar(0, 0, 0, 123.0);
        assertThat(x.getDouble(0, 0, 0)).as("a copy, not a view").isNotEqualTo(123.0);
        r.params().putScalar(0, 123.0);
        assertThat(net.params().getDouble(0)).isNotEqualTo(123.0);
    }

    @Test
    void sequencesShorterThanTwentyStepsAreNotProbed() {
        MultiLayerNetwork net = ProbeNets.lstmWithDropout();
        net.setInput(ProbeNets.sequences(1, DataType.FLOAT, 4, 3, TimeProbe.MIN_STEPS - 1));
        net.setLabels(ProbeNets.oneHot(DataType.FLOAT, 4, 3));

        assertThat(TimeProbe.prepare(net)).isEmpty();
    }

    @Test
    void perStepLabelsAndTruncatedBpttAreNotProbed() {
        MultiLayerNetwork net = ProbeNets.lstmWithDropout();
        net.setInput(ProbeNets.sequences(1, DataType.FLOAT, 4, 3, 30));
        net.setLabels(ProbeNets.sequences(2, DataType.FLOAT, 4, 3, 30));
        assertThat(TimeProbe.prepare(net)).as("labels [mb, classes, T]").isEmpty();

        net.setLabels(ProbeNets.oneHot(DataType.FLOAT, 4, 3));
        net.getLayerWiseConfigurations().setBackpropType(BackpropType.TruncatedBPTT);
        assertThat(TimeProbe.prepare(net)).as("truncated BPTT").isEmpty();
    }
}
