package io.github.dl4jgradmon;

import io.github.dl4jgradmon.clip.GradientClipping;
import io.github.dl4jgradmon.stats.BufferPath;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Issue 12 item 5: a half-precision model gets clipping (on the ND4J path). With plain SGD the parameter change is
 * {@code lr * factor * g}; {@code g} comes from an identical twin, computed by DL4J, not by the monitor.
 */
class HalfPrecisionClippingTest {

    private static final double LR = 0.5;

    private static MultiLayerNetwork net() {
        return Nets.mlp(new Sgd(LR), DataType.HALF, 6, 8, 3);
    }

    private static DataSet data() {
        DataSet d = Nets.classification(3, 10, 6, 3);
        return new DataSet(d.getFeatures().castTo(DataType.HALF).mul(4), d.getLabels().castTo(DataType.HALF));
    }

    @Test
    void globalNormClippingIsAppliedToAHalfPrecisionModel() {
        DataSet data = data();
        MultiLayerNetwork twin = net();
        twin.setInput(data.getFeatures());
        twin.setLabels(data.getLabels());
        twin.computeGradientAndScore(LayerWorkspaceMgr.noWorkspaces());
        INDArray g = twin.getGradientsViewArray().castTo(DataType.DOUBLE).div(data.numExamples());
        double norm = g.norm2Number().doubleValue();
        double max = norm / 4;

        MultiLayerNetwork net = net();
        GradientMonitor monitor = GradientMonitor.builder().clipping(GradientClipping.globalNorm(max)).build();
        net.setListeners(monitor);
        INDArray before = net.params().castTo(DataType.DOUBLE);
        net.fit(data);
        INDArray applied = before.sub(net.params().castTo(DataType.DOUBLE)).div(LR);

        GradientSnapshot s = monitor.latest().orElseThrow();
        assertThat(s.reaction().clipped()).isTrue();
        assertThat(applied.norm2Number().doubleValue()).as("applied gradient norm").isCloseTo(max,
                within(max * 0.02));
        double cosine = applied.mul(g).sumNumber().doubleValue() / (applied.norm2Number().doubleValue() * norm);
        assertThat(cosine).as("direction kept").isGreaterThan(0.999);
        assertThat(monitor.faultCount()).isZero();
        assertThat(monitor.bufferPath("0")).as("half precision takes the ND4J path").contains(BufferPath.ND4J);
    }
}
