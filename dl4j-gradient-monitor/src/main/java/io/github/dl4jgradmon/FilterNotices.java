package io.github.dl4jgradmon;

import io.github.dl4jgradmon.detect.DetectorSuite;
import io.github.dl4jgradmon.detect.ExplodingDetector;
import io.github.dl4jgradmon.detect.NonFiniteDetector;
import io.github.dl4jgradmon.detect.VanishingDetector;
import io.github.dl4jgradmon.model.LayerGraph;
import io.github.dl4jgradmon.model.LayerSlot;
import io.github.dl4jgradmon.model.ModelLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a layer filter costs in coverage, said once per monitor at the first gradient of a model: filter values that
 * match no layer (a typo is never silently ignored), and the detectors that compare the first and last layers and
 * stay quiet where the filter leaves those out. Thread-safe (ParallelWrapper workers share it).
 */
final class FilterNotices {

    private static final Logger log = LoggerFactory.getLogger(GradientMonitor.class);
    private static final int LISTED = 12;

    private final LayerFilter filter;
    private final DetectorSuite detectors;
    private final WarnOnce unmatched = new WarnOnce();
    private final WarnOnce blind = new WarnOnce();

    FilterNotices(LayerFilter filter, DetectorSuite detectors) {
        this.filter = filter;
        this.detectors = detectors;
    }

    String describe() {
        return filter.describe();
    }

    /** The watched layers of {@code layout}, per layer; null when no filter is active. Warns once as needed. */
    boolean[] watched(ModelLayout layout, String workerId, boolean pretraining) {
        if (!filter.isActive()) {
            return null;
        }
        List<LayerSlot> layers = layout.layers();
        boolean[] watched = new boolean[layers.size()];
        for (int l = 0; l < watched.length; l++) {
            watched[l] = filter.watches(layers.get(l).name(), layers.get(l).type());
        }
        if (pretraining) {
            return watched; // one layer of the network: the filter's other values name layers it does not hold
        }
        List<String> missing = unmatched(layers);
        if (!missing.isEmpty()) {
            unmatched.warn(log, "GradientMonitor layer filter {}: {} match no layer with trainable parameters of "
                    + "worker {} (names {}; types {}); check the spelling: names as LayerGradientStats.name() shows "
                    + "them (DL4J names an unnamed MultiLayerNetwork layer layer0, layer1, ...), types as the configuration's simple "
                    + "class name", filter.describe(), quoted(missing), workerId, names(layout, false),
                    names(layout, true));
        }
        String quiet = blindDetectors(layout, watched);
        if (!quiet.isEmpty()) {
            blind.warn(log, "GradientMonitor layer filter {} leaves out layers that detectors of worker {} compare; "
                    + "they stay quiet there rather than judge part of the model: {}. Add the first and last layers "
                    + "to layers(...) to keep them", filter.describe(), workerId, quiet);
        }
        return watched;
    }

    /** The detectors blinded by the filter and why, as one clause; empty when none is. */
    private String blindDetectors(ModelLayout layout, boolean[] watched) {
        LayerGraph g = layout.graph();
        List<String> unjudged = new ArrayList<>();
        for (int k = 0; k < g.inputSideCount(); k++) {
            int i = g.inputSide(k);
            boolean judged = false;
            for (int j = 0; j < g.outputSideCount() && watched[i] && !judged; j++) {
                int o = g.outputSide(j);
                judged = o != i && watched[o] && g.reaches(i, o);
            }
            if (!judged) {
                unjudged.add(layout.layers().get(i).name());
            }
        }
        boolean anyLeftOut = false;
        for (boolean w : watched) {
            anyLeftOut |= !w;
        }
        List<String> parts = new ArrayList<>();
        String ratio = "compare each input-side layer with the output-side layers it feeds; not judged: "
                + listed(unjudged);
        boolean vanishing = detectors.detector(VanishingDetector.class).isPresent();
        boolean exploding = detectors.detector(ExplodingDetector.class).isPresent();
        if (!unjudged.isEmpty() && (vanishing || exploding)) {
            parts.add((vanishing ? "VanishingDetector" : "") + (vanishing && exploding ? " and " : "")
                    + (exploding ? "ExplodingDetector's layer-ratio rule" : "") + " (" + ratio + ")");
        }
        if (anyLeftOut && (exploding || detectors.detector(NonFiniteDetector.class).isPresent())) {
            parts.add("the input-scale hint of EXPLODING and NON_FINITE alerts (compares the input-side layers with "
                    + "all the others; judged against their own weights only)");
        }
        return String.join("; ", parts);
    }

    /** The values (of both lists) that match no name or type among {@code layers}, in the order given. */
    private List<String> unmatched(List<LayerSlot> layers) {
        List<String> out = new ArrayList<>();
        List<String> values = new ArrayList<>(filter.include());
        values.addAll(filter.exclude());
        for (String v : values) {
            boolean any = false;
            for (LayerSlot l : layers) {
                any |= l.name().equals(v) || l.type().equals(v);
            }
            if (!any) {
                out.add(v);
            }
        }
        return out;
    }

    private static String names(ModelLayout layout, boolean types) {
        Set<String> out = new LinkedHashSet<>();
        for (LayerSlot l : layout.layers()) {
            out.add(types ? l.type() : l.name());
        }
        return listed(new ArrayList<>(out));
    }

    private static String listed(List<String> values) {
        if (values.size() <= LISTED) {
            return quoted(values);
        }
        return quoted(values.subList(0, LISTED)).replace("]", ", ... " + (values.size() - LISTED) + " more]");
    }

    private static String quoted(List<String> values) {
        List<String> q = new ArrayList<>(values.size());
        for (String v : values) {
            q.add("'" + v + "'");
        }
        return q.toString();
    }
}
