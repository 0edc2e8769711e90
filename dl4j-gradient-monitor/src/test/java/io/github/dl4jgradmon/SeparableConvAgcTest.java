package io.github.dl4jgradmon;

import io.github.dl4jgradmon.clip.GradientClipping;
import io.github.dl4jgradmon.stats.BufferPath;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * AGC (unit-wise adaptive clipping, Brock et al. 2021) on SeparableConvolution2D and DepthwiseConvolution2D, whose
 * bias comes first in the flat buffer and whose depthwise kernels are not laid out output channel by output channel.
 * With plain SGD the parameter change divided by the learning rate must equal AGC applied here, independently, in
 * double, to each of DL4J's own per-parameter gradient arrays of an identical twin: a unit is one output channel of a
 * kernel (the reference's norm over every axis but the output channel), one entry of a bias; the output layer is left
 * alone.
 */
class SeparableConvAgcTest {

    private static final double LR = 0.5;
    private static final double EPS = 1e-3;
    private static final int N_IN = 2;
    private static final int DEPTH_MULTIPLIER = 2;

    @AfterEach
    void defaultPath() {
        TestPaths.reset();
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String kind : List.of("separable", "depthwise")) {
            for (BufferPath path : BufferPath.values()) {
                out.add(Arguments.of(kind, path));
            }
        }
        return out.stream();
    }

    private static MultiLayerNetwork net(String kind) {
        Layer conv = kind.equals("separable")
                ? new SeparableConvolution2D.Builder(3, 3).nOut(4).depthMultiplier(DEPTH_MULTIPLIER)
                        .activation(Activation.TANH).build()
                : new DepthwiseConvolution2D.Builder(3, 3).depthMultiplier(DEPTH_MULTIPLIER)
                        .activation(Activation.TANH).build();
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(9)
                .dataType(DataType.DOUBLE).updater(new Sgd(LR)).weightInit(WeightInit.XAVIER).list()
                .layer(conv)
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(5, 5, N_IN))
                .build());
        net.init();
        return net;
    }

    private static DataSet data() {
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 6, N_IN, 5, 5).subi(0.5).muli(4);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 6, 3);
        for (int i = 0; i < 6; i++) {
            y.putScalar(i, i % 3, 1.0);
        }
        return new DataSet(x, y);
    }

    /** Batch-averaged gradient of a fresh twin, per DL4J gradient key ({@code 0_b}, ...), in double. */
    private static Map<String, INDArray> averagedGradient(String kind, DataSet data) {
        return SgdOracle.averagedGradient(net(kind), data);
    }

    /**
     * Which unit (output channel) entry {@code i} of the 'c'-ordered array belongs to, from DL4J's documented shapes:
     * separable depthwise kernel {@code [depthMultiplier, nIn, kH, kW]} (output channel = (m, c)), pointwise kernel
     * {@code [nOut, nIn * depthMultiplier, 1, 1]}, depthwise kernel {@code [kH, kW, nIn, depthMultiplier]} (output
     * channel = (c, m), the last two axes), biases one entry each.
     */
    private static IntUnaryOperator unitOf(String kind, String param, long[] shape) {
        if (param.equals("b")) {
            return i -> i;
        }
        assertThat(shape).as(kind + " " + param + " is a 4-d kernel").hasSize(4);
        int perChannel = (int) (shape[2] * shape[3]);
        if (kind.equals("separable") && param.equals("W")) {
            assertThat(shape).containsExactly(DEPTH_MULTIPLIER, N_IN, 3, 3);
            return i -> i / perChannel;
        }
        if (param.equals("pW")) {
            return i -> i / (int) (shape[1] * shape[2] * shape[3]);
        }
        assertThat(shape).containsExactly(3, 3, N_IN, DEPTH_MULTIPLIER);
        return i -> i % perChannel; // depthwise: the output channel (c, m) is the fastest-varying pair of axes
    }

    /** AGC on one array: each unit's gradient at most lambda x max(its weights' norm, eps). */
    private static INDArray agc(INDArray gradient, INDArray weights, IntUnaryOperator unitOf, double lambda,
                                int[] clippedUnits) {
        double[] g = gradient.dup('c').data().asDouble();
        double[] w = weights.dup('c').data().asDouble();
        int units = 0;
        for (int i = 0; i < g.length; i++) {
            units = Math.max(units, unitOf.applyAsInt(i) + 1);
        }
        double[] gSq = new double[units];
        double[] wSq = new double[units];
        for (int i = 0; i < g.length; i++) {
            gSq[unitOf.applyAsInt(i)] += g[i] * g[i];
            wSq[unitOf.applyAsInt(i)] += w[i] * w[i];
        }
        double[] factor = new double[units];
        for (int u = 0; u < units; u++) {
            double gn = Math.sqrt(gSq[u]);
            double max = lambda * Math.max(Math.sqrt(wSq[u]), EPS);
            factor[u] = gn > max ? max / gn : 1.0;
            if (factor[u] < 1) {
                clippedUnits[0]++;
            } else {
                clippedUnits[1]++;
            }
        }
        double[] out = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            out[i] = g[i] * factor[unitOf.applyAsInt(i)];
        }
        return Nd4j.create(out, gradient.shape(), 'c');
    }

    /**
     * The median over the depthwise kernel's units of gradient norm / max(weight norm, eps): about half of them clip.
     * (Bias units start at zero weights, so the floor eps makes them clip at any lambda that clips a kernel unit.)
     */
    private static double medianRatio(String kind, Map<String, INDArray> g, Map<String, INDArray> w) {
        List<Double> ratios = new ArrayList<>();
        for (String param : List.of("W")) {
            INDArray gradient = g.get("0_" + param);
            if (gradient == null) {
                continue;
            }
            IntUnaryOperator unitOf = unitOf(kind, param, gradient.shape());
            double[] gv = gradient.dup('c').data().asDouble();
            double[] wv = w.get("0_" + param).dup('c').data().asDouble();
            Map<Integer, double[]> sums = new HashMap<>();
            for (int i = 0; i < gv.length; i++) {
                double[] s = sums.computeIfAbsent(unitOf.applyAsInt(i), u -> new double[2]);
                s[0] += gv[i] * gv[i];
                s[1] += wv[i] * wv[i];
            }
            sums.values().forEach(s -> ratios.add(Math.sqrt(s[0]) / Math.max(Math.sqrt(s[1]), EPS)));
        }
        double[] sorted = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return Math.sqrt(sorted[sorted.length / 2] * sorted[sorted.length / 2 - 1]); // between two neighbours
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void agcClipsEachOutputChannelOfTheConvolutionAgainstItsOwnWeights(String kind, BufferPath path) {
        TestPaths.use(path);
        DataSet data = data();
        Map<String, INDArray> g = averagedGradient(kind, data);
        MultiLayerNetwork net = net(kind);
        Map<String, INDArray> before = Nets.paramCopies(net.paramTable());
        double lambda = medianRatio(kind, g, before);

        Map<String, INDArray> expected = new HashMap<>(g); // the output layer's gradient is left alone
        for (String key : g.keySet()) {
            if (key.startsWith("0_")) {
                String param = key.substring(2);
                int[] clipped = new int[2];
                expected.put(key, agc(g.get(key), before.get(key), unitOf(kind, param, g.get(key).shape()), lambda,
                        clipped));
                if (param.equals("W")) {
                    assertThat(clipped[0]).as("depthwise kernel units clipped").isPositive();
                    assertThat(clipped[1]).as("depthwise kernel units left alone").isPositive();
                }
            }
        }
        assertThat(expected).containsKeys("0_W", "0_b", "1_W", "1_b");

        GradientMonitor monitor = GradientMonitor.builder().clipping(GradientClipping.agc(lambda, EPS, true)).build();
        net.addListeners(monitor);
        net.fit(data);
        Map<String, INDArray> after = Nets.paramCopies(net.paramTable());
        for (String key : expected.keySet()) {
            INDArray applied = before.get(key).sub(after.get(key)).div(LR);
            double error = applied.sub(expected.get(key)).norm2Number().doubleValue();
            assertThat(error).as("%s %s: applied gradient %s vs AGC computed here %s", kind, key,
                            Arrays.toString(applied.dup('c').data().asDouble()),
                            Arrays.toString(expected.get(key).dup('c').data().asDouble()))
                    .isLessThan(1e-9 * Math.max(1, expected.get(key).norm2Number().doubleValue()));
        }
        assertThat(monitor.faultCount()).isZero();
        TestPaths.check(monitor);
    }
}
