package io.github.dl4jgradmon.cli.check;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationHardSigmoid;
import org.nd4j.linalg.activations.impl.ActivationHardTanH;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationRReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU6;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The layers of a configuration in forward order (a ComputationGraph's layer vertices in topological order), with
 * what the lint and the fixes need to know about each. The {@link Layer} objects are the configuration's own: a
 * fix mutates them on a copy of the configuration.
 */
final class ConfigLayers {

    /** One layer: its name (MLN layer name, CG vertex name), its configuration, and whether it is an output. */
    record Entry(String name, Layer layer, boolean output) {

        /** A hidden layer that applies its activation to what it hands on (Dense, convolution, ActivationLayer). */
        boolean hiddenWithActivation() {
            Layer inner = CheckModel.unwrap(layer);
            return !output && !(layer instanceof FrozenLayer) && (inner instanceof DenseLayer
                    || inner instanceof ConvolutionLayer || inner instanceof ActivationLayer);
        }

        IActivation activation() {
            Layer inner = CheckModel.unwrap(layer);
            return inner instanceof BaseLayer b ? b.getActivationFn()
                    : inner instanceof ActivationLayer a ? a.getActivationFn() : null;
        }

        boolean saturating() {
            return isSaturating(activation());
        }

        boolean relu() {
            IActivation a = activation();
            return a instanceof ActivationReLU || a instanceof ActivationReLU6;
        }

        boolean reluFamily() {
            IActivation a = activation();
            return relu() || a instanceof ActivationLReLU || a instanceof ActivationRReLU;
        }

        String type() {
            return layer.getClass().getSimpleName();
        }
    }

    private ConfigLayers() {
    }

    static boolean isSaturating(IActivation a) {
        return a instanceof ActivationSigmoid || a instanceof ActivationTanH || a instanceof ActivationHardSigmoid
                || a instanceof ActivationHardTanH;
    }

    static List<Entry> of(Object conf) {
        List<Entry> entries = new ArrayList<>();
        if (conf instanceof MultiLayerConfiguration m) {
            int n = m.getConfs().size();
            for (int i = 0; i < n; i++) {
                Layer l = m.getConf(i).getLayer();
                entries.add(new Entry(l.getLayerName() == null ? "layer" + i : l.getLayerName(), l, i == n - 1));
            }
            return entries;
        }
        ComputationGraphConfiguration g = (ComputationGraphConfiguration) conf;
        for (String name : topological(g)) {
            GraphVertex v = g.getVertices().get(name);
            if (v instanceof LayerVertex lv) {
                entries.add(new Entry(name, lv.getLayerConf().getLayer(), g.getNetworkOutputs().contains(name)));
            }
        }
        return entries;
    }

    static boolean hasBatchNormalization(Object conf) {
        return of(conf).stream().anyMatch(e -> CheckModel.unwrap(e.layer()) instanceof BatchNormalization);
    }

    /** Kahn's algorithm over the vertex inputs; ties in the configuration's own order. */
    static List<String> topological(ComputationGraphConfiguration g) {
        Map<String, Integer> pending = new HashMap<>();
        Map<String, List<String>> consumers = new HashMap<>();
        for (String v : g.getVertices().keySet()) {
            List<String> ins = g.getVertexInputs().getOrDefault(v, List.of());
            pending.put(v, (int) ins.stream().filter(g.getVertices()::containsKey).count());
            for (String in : ins) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(v);
            }
        }
        Deque<String> ready = new ArrayDeque<>();
        for (String in : g.getNetworkInputs()) {
            for (String c : consumers.getOrDefault(in, List.of())) {
                if (pending.get(c) == 0 && !ready.contains(c)) {
                    ready.add(c);
                }
            }
        }
        for (String v : g.getVertices().keySet()) {
            if (pending.get(v) == 0 && !ready.contains(v)) {
                ready.add(v);
            }
        }
        List<String> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            String v = ready.poll();
            order.add(v);
            for (String c : consumers.getOrDefault(v, List.of())) {
                if (pending.merge(c, -1, Integer::sum) == 0) {
                    ready.add(c);
                }
            }
        }
        return order;
    }
}
