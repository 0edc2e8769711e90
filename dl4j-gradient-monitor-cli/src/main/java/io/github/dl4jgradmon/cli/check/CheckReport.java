package io.github.dl4jgradmon.cli.check;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.internal.util.Text;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one check run measured: per-layer gradient norms (first, median, last), the final loss and the alerts,
 * deduplicated to the first per (type, layer) with a count; and whether the run measured every trainable layer.
 * The README's {@code check} section describes the JSON form ({@link CheckJson}).
 *
 * @param notMeasured why the run cannot vouch for the model (no snapshot, contained faults, layers never measured);
 *                    empty when every trainable layer was measured
 */
record CheckReport(int iterations, List<LayerRow> layers, List<AlertGroup> alerts, double finalLoss,
                   Optional<String> notMeasured) {

    enum Verdict { HEALTHY, UNHEALTHY, NOT_MEASURED }

    record LayerRow(String name, int index, String type, double first, double median, double last,
                    double medianUpdateRatio) {
    }

    record AlertGroup(GradientAlert first, int count) {
    }

    CheckReport {
        layers = List.copyOf(layers);
        alerts = List.copyOf(alerts);
    }

    static CheckReport of(int iterations, Optional<GradientSnapshot> firstSnapshot, List<GradientSnapshot> history,
                          List<GradientAlert> alerts, Optional<String> notMeasured) {
        List<LayerRow> rows = new ArrayList<>();
        double finalLoss = Double.NaN;
        if (!history.isEmpty()) {
            GradientSnapshot lastSnapshot = history.get(history.size() - 1);
            finalLoss = lastSnapshot.score();
            for (LayerGradientStats l : lastSnapshot.layers()) {
                List<Double> norms = new ArrayList<>();
                List<Double> ratios = new ArrayList<>();
                for (GradientSnapshot s : history) {
                    s.layer(l.name()).ifPresent(x -> {
                        norms.add(x.gradientNorm());
                        ratios.add(x.updateRatio());
                    });
                }
                double first = firstSnapshot.flatMap(s -> s.layer(l.name())).map(LayerGradientStats::gradientNorm)
                        .orElse(norms.get(0));
                rows.add(new LayerRow(l.name(), l.index(), l.type(), first, median(norms), l.gradientNorm(),
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
        return new CheckReport(iterations, rows, groups, finalLoss, notMeasured);
    }

    /** Median of the finite values; NaN when there are none. */
    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).sorted().toArray();
        return v.length == 0 ? Double.NaN : v[v.length / 2];
    }

    /** Alerts of WARNING or worse. */
    long problems() {
        return alerts.stream().filter(g -> g.first().severity().isAtLeast(Severity.WARNING)).count();
    }

    Set<AlertType> alertTypes() {
        Set<AlertType> types = EnumSet.noneOf(AlertType.class);
        alerts.stream().filter(g -> g.first().severity().isAtLeast(Severity.WARNING))
                .forEach(g -> types.add(g.first().type()));
        return types;
    }

    /** HEALTHY only when every trainable layer was measured and nothing of WARNING or worse was raised. */
    Verdict verdict() {
        if (problems() > 0) {
            return Verdict.UNHEALTHY;
        }
        return notMeasured.isPresent() ? Verdict.NOT_MEASURED : Verdict.HEALTHY;
    }

    /** Median gradient norm of the first layer over that of the last: far below 1 means vanishing. */
    double firstLastRatio() {
        if (layers.size() < 2) {
            return Double.NaN;
        }
        return layers.get(0).median() / layers.get(layers.size() - 1).median();
    }

    void print(PrintStream out) {
        out.printf(Locale.ROOT, "%-14s %-22s %12s %12s %12s %14s%n", "layer", "type", "grad first", "grad median",
                "grad last", "update:param");
        for (LayerRow r : layers) {
            out.printf(Locale.ROOT, "%-14s %-22s %12.3e %12.3e %12.3e %14.3e%n", r.name(), r.type(), r.first(),
                    r.median(), r.last(), r.medianUpdateRatio());
        }
        out.println("(gradient L2 norms in batch-averaged units; update:param is the median ||update|| / ||params||, "
                + "healthy near 1e-3)");
        out.printf(Locale.ROOT, "final loss %s%n", Text.significant(finalLoss));
        out.println();
        if (alerts.isEmpty()) {
            out.println("alerts: none");
        } else {
            out.println("alerts (the first of each type and layer, with how many times it was raised; each hint "
                    + "once per type):");
            Set<String> hinted = new HashSet<>();
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
        notMeasured.ifPresent(why -> out.println("not measured: " + why));
        out.println("verdict: " + verdict().name().replace('_', ' '));
    }


    @Override
    public String toString() {
        return "CheckReport[" + verdict() + ", " + layers.size() + " layers, " + alerts.size() + " alert groups, loss "
                + finalLoss + ", " + Arrays.toString(notMeasured.stream().toArray()) + "]";
    }
}
