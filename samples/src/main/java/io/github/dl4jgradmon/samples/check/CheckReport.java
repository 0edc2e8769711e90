package io.github.dl4jgradmon.samples.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a check run found: per-layer gradient norms (first, median, last) and the alerts, deduplicated to the first
 * per (type, layer) with a count. Printed as a table, written as the JSON of DESIGN.md.
 */
record CheckReport(int iterations, List<LayerRow> layers, List<AlertGroup> alerts) {

    record LayerRow(String name, int index, String type, double first, double median, double last,
                    double medianUpdateRatio) {
    }

    record AlertGroup(GradientAlert first, int count) {
    }

    static CheckReport of(int iterations, List<GradientSnapshot> history, List<GradientAlert> alerts) {
        List<LayerRow> rows = new ArrayList<>();
        if (!history.isEmpty()) {
            List<LayerGradientStats> layers = history.get(history.size() - 1).layers();
            for (int i = 0; i < layers.size(); i++) {
                double[] norms = new double[history.size()];
                double[] ratios = new double[history.size()];
                for (int s = 0; s < norms.length; s++) {
                    LayerGradientStats l = history.get(s).layers().get(i);
                    norms[s] = l.gradientNorm();
                    ratios[s] = l.updateRatio();
                }
                LayerGradientStats l = layers.get(i);
                rows.add(new LayerRow(l.name(), l.index(), l.type(), norms[0], median(norms), norms[norms.length - 1],
                        median(ratios)));
            }
        }
        Map<String, int[]> counts = new LinkedHashMap<>();
        Map<String, GradientAlert> firsts = new LinkedHashMap<>();
        for (GradientAlert a : alerts) {
            String key = a.type() + "\u0000" + a.layer();
            firsts.putIfAbsent(key, a);
            counts.computeIfAbsent(key, k -> new int[1])[0]++;
        }
        List<AlertGroup> groups = new ArrayList<>();
        firsts.forEach((k, a) -> groups.add(new AlertGroup(a, counts.get(k)[0])));
        return new CheckReport(iterations, rows, groups);
    }

    /** Median of the finite values; NaN when there are none. */
    private static double median(double[] values) {
        double[] v = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
        return v.length == 0 ? Double.NaN : v[v.length / 2];
    }

    boolean healthy() {
        return alerts.stream().noneMatch(g -> g.first().severity().isAtLeast(Severity.WARNING));
    }

    String verdict() {
        return healthy() ? "HEALTHY" : "UNHEALTHY";
    }

    void print(PrintStream out) {
        out.printf(Locale.ROOT, "%-14s %-16s %12s %12s %12s %14s%n", "layer", "type", "grad first", "grad median",
                "grad last", "update:param");
        for (LayerRow r : layers) {
            out.printf(Locale.ROOT, "%-14s %-16s %12.3e %12.3e %12.3e %14.3e%n", r.name(), r.type(), r.first(),
                    r.median(), r.last(), r.medianUpdateRatio());
        }
        out.println("(gradient L2 norms in batch-averaged units; update:param is the median ||update|| / ||params||, "
                + "healthy near 1e-3)");
        out.println();
        if (alerts.isEmpty()) {
            out.println("alerts: none");
        } else {
            out.println("alerts (the first of each type and layer, with how many times it was raised; each hint "
                    + "once per type):");
            java.util.Set<String> hinted = new java.util.HashSet<>();
            for (AlertGroup g : alerts) {
                GradientAlert a = g.first();
                out.printf(Locale.ROOT, "  %-8s %-12s %-10s first at iteration %d, %d time%s%n", a.severity(),
                        a.type(), a.layerLabel(), a.iteration(), g.count(), g.count() == 1 ? "" : "s");
                out.println("      " + a.message());
                if (hinted.add(a.type() + a.hint())) {
                    out.println("      hint: " + a.hint());
                }
            }
        }
        out.println();
        out.println("verdict: " + verdict());
    }

    void writeJson(Path path) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("verdict", verdict());
        root.put("iterations", iterations);
        List<Object> ls = new ArrayList<>();
        for (LayerRow r : layers) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("index", r.index());
            m.put("type", r.type());
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("first", number(r.first()));
            g.put("median", number(r.median()));
            g.put("last", number(r.last()));
            m.put("gradientNorm", g);
            ls.add(m);
        }
        root.put("layers", ls);
        List<Object> as = new ArrayList<>();
        for (AlertGroup group : alerts) {
            GradientAlert a = group.first();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", a.type().name());
            m.put("severity", a.severity().name());
            m.put("layer", a.layer());
            m.put("param", a.param().orElse(null));
            m.put("iteration", a.iteration());
            m.put("value", number(a.value()));
            m.put("threshold", number(a.threshold()));
            m.put("message", a.message());
            m.put("hint", a.hint());
            as.add(m);
        }
        root.put("alerts", as);
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(path.toFile(), root);
        } catch (IOException e) {
            throw new BadInputException("--json cannot be written: " + path + " (" + e.getMessage() + ")");
        }
    }

    /** JSON has no NaN or Infinity: such values are written as null. */
    private static Double number(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
