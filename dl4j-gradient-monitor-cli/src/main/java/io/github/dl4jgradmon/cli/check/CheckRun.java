package io.github.dl4jgradmon.cli.check;

import io.github.dl4jgradmon.GradientMonitor;
import io.github.dl4jgradmon.clip.GradientClipping;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/** One training run of a check: the network, the minibatches, a monitor, and the report it yields. */
final class CheckRun {

    /** Snapshots kept for the report's medians; the first one is kept apart, so "first" stays the first. */
    static final int HISTORY_CAP = 1_000;

    private CheckRun() {
    }

    static CheckReport train(Model net, List<MultiDataSet> data, int iterations, Optional<GradientClipping> clipping) {
        return train(net, data, iterations, clipping, b -> b);
    }

    /** {@code tweak} adds to the monitor (tests use it to inject a monitor fault). */
    static CheckReport train(Model net, List<MultiDataSet> data, int iterations, Optional<GradientClipping> clipping,
                             UnaryOperator<GradientMonitor.Builder> tweak) {
        AtomicReference<GradientSnapshot> first = new AtomicReference<>();
        GradientMonitor.Builder b = GradientMonitor.builder().logAlerts(false)
                .historySize(Math.min(iterations, HISTORY_CAP))
                .onSnapshot(s -> first.compareAndSet(null, s));
        clipping.ifPresent(b::clipping);
        GradientMonitor monitor = tweak.apply(b).build();
        try {
            if (net instanceof MultiLayerNetwork m) {
                m.setListeners(monitor);
                for (int i = 0; i < iterations; i++) { // one minibatch at a time: the list may build them on demand
                    MultiDataSet d = data.get(i % data.size());
                    m.fit(new DataSet(d.getFeatures(0), d.getLabels(0), d.getFeaturesMaskArray(0),
                            d.getLabelsMaskArray(0)));
                }
            } else {
                ComputationGraph g = (ComputationGraph) net;
                g.setListeners(monitor);
                for (int i = 0; i < iterations; i++) {
                    g.fit(data.get(i % data.size()));
                }
            }
        } catch (RuntimeException e) {
            throw new BadInputException("training failed: " + CheckModel.firstLine(e));
        }
        List<GradientSnapshot> history = monitor.history();
        return CheckReport.of(iterations, Optional.ofNullable(first.get()), history, monitor.alerts(),
                notMeasured(net, monitor, history));
    }

    /** Why the run cannot vouch for the model: no snapshot, contained faults, or layers never measured. */
    private static Optional<String> notMeasured(Model net, GradientMonitor monitor, List<GradientSnapshot> history) {
        if (monitor.faultCount() > 0) {
            return Optional.of("the monitor contained " + monitor.faultCount() + " fault"
                    + (monitor.faultCount() == 1 ? "" : "s") + " while measuring (see the log above)");
        }
        if (history.isEmpty()) {
            return Optional.of("the monitor recorded no gradient snapshot");
        }
        Set<String> seen = new HashSet<>();
        for (GradientSnapshot s : history) {
            for (LayerGradientStats l : s.layers()) {
                seen.add(l.name());
            }
        }
        List<String> missing = new ArrayList<>();
        for (String name : trainableLayers(net)) {
            if (!seen.contains(name)) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            return Optional.of("no gradient statistics for layer" + (missing.size() == 1 ? " " : "s ")
                    + String.join(", ", missing));
        }
        return Optional.empty();
    }

    /** Layers with parameters that training updates (frozen layers excluded). */
    static List<String> trainableLayers(Model net) {
        List<String> names = new ArrayList<>();
        if (net instanceof MultiLayerNetwork m) {
            for (Layer l : m.getLayers()) {
                if (l.numParams() > 0 && !frozen(l.conf().getLayer())) {
                    names.add(l.conf().getLayer().getLayerName());
                }
            }
        } else {
            for (GraphVertex v : ((ComputationGraph) net).getVertices()) {
                if (v.hasLayer() && v.getLayer().numParams() > 0 && !frozen(v.getLayer().conf().getLayer())) {
                    names.add(v.getVertexName());
                }
            }
        }
        return names;
    }

    private static boolean frozen(org.deeplearning4j.nn.conf.layers.Layer l) {
        return l instanceof FrozenLayer || l instanceof FrozenLayerWithBackprop;
    }
}
