package io.github.dl4jgradmon;

import io.github.dl4jgradmon.clip.GradientClipping;
import io.github.dl4jgradmon.stats.BufferPath;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * With plain SGD the applied update is {@code lr * g}: the parameter change of a network trained with the monitor's
 * clipping must equal {@code lr} times the clipping rule applied, independently, here, with ND4J to the gradient of an
 * identical twin network.
 */
class ClippingSgdTest {

    @AfterEach
    void defaultPath() {
        TestPaths.reset();
    }

    private static final double LR = 0.5;

    private static Map<String, INDArray> averagedGradient(DataSet data) {
        return SgdOracle.averagedGradient(net(), data);
    }

    private static MultiLayerNetwork net() {
        return Nets.mlp(new Sgd(LR), DataType.DOUBLE, 6, 8, 5, 3);
    }

    private static DataSet data() {
        DataSet d = Nets.classification(3, 10, 6, 3);
        return new DataSet(d.getFeatures().castTo(DataType.DOUBLE).mul(4), d.getLabels().castTo(DataType.DOUBLE));
    }

    /** Trains one step with the strategy and checks the parameter change against {@code expected(gradients)}. */
    private static GradientSnapshot check(GradientClipping clipping,
                                          UnaryOperator<Map<String, INDArray>> expectedRule) {
        DataSet data = data();
        Map<String, INDArray> expected = expectedRule.apply(averagedGradient(data));
        MultiLayerNetwork net = net();
        GradientMonitor monitor = GradientMonitor.builder().clipping(clipping).build();
        net.addListeners(monitor);
        SgdOracle.checkAppliedSteps(net, data, LR, expected);
        TestPaths.check(monitor);
        return monitor.latest().orElseThrow();
    }

    private static double globalNorm(Map<String, INDArray> g) {
        double sq = 0;
        for (INDArray a : g.values()) {
            sq += Math.pow(a.norm2Number().doubleValue(), 2);
        }
        return Math.sqrt(sq);
    }

    private static Map<String, INDArray> scaled(Map<String, INDArray> g, double f) {
        Map<String, INDArray> out = new HashMap<>();
        g.forEach((k, v) -> out.put(k, v.mul(f)));
        return out;
    }

    @ParameterizedTest
    @EnumSource(BufferPath.class)
    void globalNormScalesEveryGradientByTheSameFactor(BufferPath path) {
        TestPaths.use(path);
        double norm = globalNorm(averagedGradient(data()));
        double max = norm / 3;
        GradientSnapshot s = check(GradientClipping.globalNorm(max), g -> scaled(g, max / (norm + 1e-6)));
        assertThat(s.reaction().clipped()).isTrue();
        assertThat(s.reaction().method()).isEqualTo("globalNorm");
        assertThat(s.reaction().normAfter()).isCloseTo(max, within(1e-6));
        assertThat(s.globalGradientNorm()).as("statistics describe the gradient before clipping")
                .isCloseTo(norm, within(1e-9));
    }

    @ParameterizedTest
    @EnumSource(BufferPath.class)
    void nothingChangesBelowTheThreshold(BufferPath path) {
        TestPaths.use(path);
        double norm = globalNorm(averagedGradient(data()));
        GradientSnapshot s = check(GradientClipping.globalNorm(norm * 1.01), g -> g);
        assertThat(s.reaction().clipped()).isFalse();
        check(GradientClipping.perLayer(norm * 1.01), g -> g);
        check(GradientClipping.agc(1e6), g -> g);
    }

    @ParameterizedTest
    @EnumSource(BufferPath.class)
    void perLayerClipsOnlyLayersAboveTheThreshold(BufferPath path) {
        TestPaths.use(path);
        Map<String, INDArray> g0 = averagedGradient(data());
        double[] layerNorms = new double[3];
        for (int l = 0; l < 3; l++) {
            layerNorms[l] = Math.hypot(g0.get(l + "_W").norm2Number().doubleValue(),
                    g0.get(l + "_b").norm2Number().doubleValue());
        }
        double max = (Math.min(layerNorms[0], Math.min(layerNorms[1], layerNorms[2]))
                + Math.max(layerNorms[0], Math.max(layerNorms[1], layerNorms[2]))) / 2;
        GradientSnapshot s = check(GradientClipping.perLayer(max), g -> {
            Map<String, INDArray> out = new HashMap<>();
            g.forEach((k, v) -> {
                double n = layerNorms[Integer.parseInt(k.substring(0, k.indexOf('_')))];
                out.put(k, n > max ? v.mul(max / (n + 1e-6)) : v);
            });
            return out;
        });
        assertThat(s.reaction().layerFactors()).isNotEmpty().hasSizeLessThan(3);
    }

    @ParameterizedTest
    @EnumSource(BufferPath.class)
    void perParamTypeAndValueClipping(BufferPath path) {
        TestPaths.use(path);
        Map<String, INDArray> g0 = averagedGradient(data());
        double maxNorm = g0.get("1_W").norm2Number().doubleValue() * 0.7;
        check(GradientClipping.perParamType(maxNorm), g -> SgdOracle.clippedPerArray(g, maxNorm));
        double maxValue = Transforms.abs(g0.get("0_W")).maxNumber().doubleValue() / 2;
        check(GradientClipping.value(maxValue), g -> {
            Map<String, INDArray> out = new HashMap<>();
            g.forEach((k, v) -> out.put(k, Transforms.min(Transforms.max(v, -maxValue, true), maxValue, true)));
            return out;
        });
    }

    @ParameterizedTest
    @EnumSource(BufferPath.class)
    void agcClipsEachOutputUnitAgainstItsWeightNormAndLeavesTheOutputLayer(BufferPath path) {
        TestPaths.use(path);
        double lambda = 0.05;
        double eps = 1e-3;
        Map<String, INDArray> w = Nets.paramCopies(net().paramTable());
        GradientSnapshot s = check(GradientClipping.agc(lambda), g -> {
            Map<String, INDArray> out = new HashMap<>(g);
            for (String key : new String[] {"0_W", "1_W"}) {
                // dense kernel [nIn, nOut]: a unit is an output column
                INDArray gradient = g.get(key).dup();
                INDArray weights = w.get(key);
                for (int unit = 0; unit < gradient.columns(); unit++) {
                    double gn = gradient.getColumn(unit).norm2Number().doubleValue();
                    double wn = Math.max(weights.getColumn(unit).norm2Number().doubleValue(), eps);
                    if (gn / wn > lambda) {
                        gradient.getColumn(unit).muli(lambda * wn / gn);
                    }
                }
                out.put(key, gradient);
            }
            for (String key : new String[] {"0_b", "1_b"}) {
                // a bias unit is one entry; biases start at zero, so the floor eps applies
                INDArray gradient = g.get(key).dup();
                INDArray weights = w.get(key);
                for (int i = 0; i < gradient.length(); i++) {
                    double gn = Math.abs(gradient.getDouble(i));
                    double wn = Math.max(Math.abs(weights.getDouble(i)), eps);
                    if (gn / wn > lambda) {
                        gradient.putScalar(i, gradient.getDouble(i) * lambda * wn / gn);
                    }
                }
                out.put(key, gradient);
            }
            return out;
        });
        assertThat(s.reaction().layerFactors()).containsKeys(s.layers().get(0).name())
                .doesNotContainKey(s.layers().get(2).name());
    }
}
