package io.github.dl4jgradmon;

import io.github.dl4jgradmon.internal.util.Checks;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;
import io.github.dl4jgradmon.stats.ParamGradientStats;
import java.util.HashMap;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

/**
 * The independent computation: with plain SGD and no regularization, {@code W_after = W_before - lr * g_avg}, so the
 * batch-averaged gradient is {@code (W_before - W_after) / lr}, computed here with ND4J in double precision from the
 * parameters alone, never from the monitor's own numbers.
 */
final class SgdOracle {

    private SgdOracle() {
    }

    /**
     * Checks every statistic of one parameter against the parameter change.
     *
     * @param tolerancePercent relative tolerance, looser for float models (the difference of two floats)
     */
    static void checkParam(ParamGradientStats stats, INDArray before, INDArray after, double lr,
                           double tolerancePercent) {
        INDArray b = before.castTo(DataType.DOUBLE);
        INDArray a = after.castTo(DataType.DOUBLE);
        INDArray update = b.sub(a);
        INDArray grad = update.div(lr);
        assertThat(stats.size()).isEqualTo(b.length());
        assertThat(stats.gradientNorm()).isCloseTo(grad.norm2Number().doubleValue(), withinPercentage(tolerancePercent));
        assertThat(stats.meanAbs()).isCloseTo(grad.norm1Number().doubleValue() / b.length(),
                withinPercentage(tolerancePercent));
        assertThat(stats.maxAbs()).isCloseTo(Transforms.abs(grad).maxNumber().doubleValue(),
                withinPercentage(tolerancePercent));
        assertThat(stats.paramNorm()).isCloseTo(b.norm2Number().doubleValue(), withinPercentage(1e-4));
        assertThat(stats.updateNorm()).isCloseTo(update.norm2Number().doubleValue(),
                withinPercentage(tolerancePercent));
        double paramNorm = b.norm2Number().doubleValue();
        if (paramNorm == 0) {
            assertThat(stats.updateRatio()).as("ratio to an all-zero parameter array is undefined").isNaN();
        } else {
            assertThat(stats.updateRatio()).isCloseTo(update.norm2Number().doubleValue() / paramNorm,
                    withinPercentage(tolerancePercent));
        }
        assertThat(stats.nanCount()).isZero();
        assertThat(stats.infCount()).isZero();
    }

    /** MultiLayerNetwork parameter keys: {@code <index>_<param>}. */
    static String mlnKey(LayerGradientStats layer) {
        return String.valueOf(layer.index());
    }

    /** ComputationGraph parameter keys: {@code <vertexName>_<param>}. */
    static String cgKey(LayerGradientStats layer) {
        return layer.name();
    }

    /** Checks every trainable parameter of the snapshot and the layer and global norms. */
    static void checkSnapshot(GradientSnapshot snapshot, Map<String, INDArray> before, Map<String, INDArray> after,
                              Function<LayerGradientStats, String> keyPrefix, double lr,
                              double tolerancePercent) {
        double globalSq = 0;
        for (LayerGradientStats layer : snapshot.layers()) {
            double layerSq = 0;
            for (Map.Entry<String, ParamGradientStats> e : layer.params().entrySet()) {
                String key = keyPrefix.apply(layer) + "_" + e.getKey();
                assertThat(before).as("param table has %s", key).containsKey(key);
                checkParam(e.getValue(), before.get(key), after.get(key), lr, tolerancePercent);
                double n = before.get(key).castTo(DataType.DOUBLE).sub(after.get(key).castTo(DataType.DOUBLE))
                        .div(lr).norm2Number().doubleValue();
                layerSq += n * n;
            }
            assertThat(layer.gradientNorm()).isCloseTo(Math.sqrt(layerSq), withinPercentage(tolerancePercent));
            globalSq += layerSq;
        }
        assertThat(snapshot.globalGradientNorm()).isCloseTo(Math.sqrt(globalSq), withinPercentage(tolerancePercent));
        assertThat(snapshot.globalGradientNorm()).isGreaterThan(0);
        assertThat(snapshot.score()).isNotCloseTo(0, within(1e-12));
    }

    /**
     * Fits {@code net} once on {@code data} (plain SGD at {@code lr}, listeners already set) and checks that each
     * parameter's applied step, {@code (before - after) / lr}, equals {@code expected} to 1e-9 relative.
     */
    static void checkAppliedSteps(MultiLayerNetwork net, DataSet data, double lr, Map<String, INDArray> expected) {
        Map<String, INDArray> before = Nets.paramCopies(net.paramTable());
        net.fit(data);
        Map<String, INDArray> after = Nets.paramCopies(net.paramTable());
        for (String key : expected.keySet()) {
            INDArray applied = before.get(key).sub(after.get(key)).div(lr);
            assertThat(applied.sub(expected.get(key)).norm2Number().doubleValue())
                    .as("%s: applied gradient %s vs expected %s", key, applied, expected.get(key))
                    .isLessThan(1e-9 * Math.max(1, expected.get(key).norm2Number().doubleValue()));
        }
    }

    /** Batch-averaged gradient of {@code twin} (a fresh copy of the network under test) on {@code data}, in double. */
    static Map<String, INDArray> averagedGradient(MultiLayerNetwork twin, DataSet data) {
        twin.setInput(data.getFeatures());
        twin.setLabels(data.getLabels());
        twin.computeGradientAndScore(LayerWorkspaceMgr.noWorkspaces());
        Map<String, INDArray> out = new HashMap<>();
        twin.gradient().gradientForVariable()
                .forEach((k, v) -> out.put(k, v.castTo(DataType.DOUBLE).div(data.numExamples())));
        return out;
    }

    /** Each array scaled to at most {@code maxNorm} (with PyTorch's 1e-6), as per-parameter clipping should. */
    static Map<String, INDArray> clippedPerArray(Map<String, INDArray> gradients, double maxNorm) {
        Map<String, INDArray> out = new HashMap<>();
        gradients.forEach((k, v) -> {
            double n = v.norm2Number().doubleValue();
            out.put(k, n > maxNorm ? v.mul(maxNorm / (n + 1e-6)) : v);
        });
        return out;
    }
}
