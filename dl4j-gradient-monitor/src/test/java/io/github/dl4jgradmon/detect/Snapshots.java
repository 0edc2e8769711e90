package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;
import io.github.dl4jgradmon.stats.ParamGradientStats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds synthetic snapshots: given per-layer norms, zero fractions, NaN/Inf counts, update ratios and a score. */
final class Snapshots {

    private Snapshots() {
    }

    static Layer layer(String name) {
        return new Layer(name);
    }

    /** Worker "0", score 1, one DenseLayer per norm, named layer0, layer1, ... */
    static GradientSnapshot norms(long iteration, double... norms) {
        Layer[] layers = new Layer[norms.length];
        for (int i = 0; i < norms.length; i++) {
            layers[i] = layer("layer" + i).norm(norms[i]);
        }
        return snapshot("0", iteration, 1.0, layers);
    }

    static GradientSnapshot snapshot(long iteration, double score, Layer... layers) {
        return snapshot("0", iteration, score, layers);
    }

    static GradientSnapshot snapshot(String worker, long iteration, double score, Layer... layers) {
        List<LayerGradientStats> stats = new ArrayList<>();
        double sumSq = 0;
        for (int i = 0; i < layers.length; i++) {
            LayerGradientStats l = layers[i].build(i);
            stats.add(l);
            sumSq += l.gradientNorm() * l.gradientNorm();
        }
        return new GradientSnapshot(worker, iteration, 0, score, 32, Math.sqrt(sumSq), 0L, stats);
    }

    /** One layer: all its gradient norm in {@code W}; {@code b} has norm 0 and its own zero fraction. */
    static final class Layer {
        private final String name;
        private String type = "DenseLayer";
        private double norm = 1.0;
        private double weightZeros;
        private double biasZeros;
        private long nan;
        private long inf;
        private double updateRatio = 1e-3;
        private boolean bias = true;
        private double saturation = Double.NaN;
        private String activation = "";

        private Layer(String name) {
            this.name = name;
        }

        Layer type(String type) {
            this.type = type;
            return this;
        }

        Layer norm(double norm) {
            this.norm = norm;
            return this;
        }

        Layer weightZeros(double f) {
            this.weightZeros = f;
            return this;
        }

        Layer biasZeros(double f) {
            this.biasZeros = f;
            return this;
        }

        Layer nan(long n) {
            this.nan = n;
            return this;
        }

        Layer inf(long n) {
            this.inf = n;
            return this;
        }

        Layer updateRatio(double r) {
            this.updateRatio = r;
            return this;
        }

        Layer saturation(double f) {
            this.saturation = f;
            return this;
        }

        Layer activation(String activation) {
            this.activation = activation;
            return this;
        }

        Layer noBias() {
            this.bias = false;
            return this;
        }

        LayerGradientStats build(int index) {
            boolean finite = nan == 0 && inf == 0;
            double g = finite ? norm : Double.NaN;
            Map<String, ParamGradientStats> params = new LinkedHashMap<>();
            params.put("W", new ParamGradientStats(100, g, g / 10, g, weightZeros, nan, inf, 1.0, updateRatio,
                    updateRatio));
            if (bias) {
                params.put("b", new ParamGradientStats(10, 0, 0, 0, biasZeros, 0, 0, 0, 0, Double.NaN));
            }
            return new LayerGradientStats(name, index, type, g, 1.0, updateRatio, params, saturation, activation);
        }
    }
}
