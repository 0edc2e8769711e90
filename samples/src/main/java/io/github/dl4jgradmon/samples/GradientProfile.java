package io.github.dl4jgradmon.samples;

import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Prints a per-layer gradient table: the median over a run of snapshots, so one noisy batch does not mislead. */
public final class GradientProfile {

    private GradientProfile() {
    }

    public static void print(PrintStream out, String title, List<GradientSnapshot> snapshots) {
        if (snapshots.isEmpty()) {
            out.println(title + ": no snapshots");
            return;
        }
        List<LayerGradientStats> layers = snapshots.get(snapshots.size() - 1).layers();
        double last = median(snapshots, layers.size() - 1, false);
        out.println(title + " (median over " + snapshots.size() + " iterations, batch-averaged units)");
        out.printf(Locale.ROOT, "  %-7s %-12s %14s %16s %14s%n", "layer", "type", "grad norm", "ratio to last", "update:param");
        for (int i = 0; i < layers.size(); i++) {
            double norm = median(snapshots, i, false);
            double ratio = median(snapshots, i, true);
            out.printf(Locale.ROOT, "  %-7s %-12s %14.3e %16.3e %14.3e%n", layers.get(i).name(), layers.get(i).type(), norm,
                    norm / last, ratio);
        }
    }

    private static double median(List<GradientSnapshot> snapshots, int layer, boolean updateRatio) {
        double[] v = new double[snapshots.size()];
        for (int i = 0; i < v.length; i++) {
            LayerGradientStats l = snapshots.get(i).layers().get(layer);
            v[i] = updateRatio ? l.updateRatio() : l.gradientNorm();
        }
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
