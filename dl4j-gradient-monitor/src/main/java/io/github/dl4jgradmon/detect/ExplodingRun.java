package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;

import java.util.List;

/**
 * What {@link ExplodingDetector}'s rules share about one worker's run: its scale (the largest finite norms of its
 * first {@code scaleWindow} snapshots, global and per layer), each layer's size, the previous global norm, and the
 * loss's moving average with its lowest point and its level when the scale was taken. The session updates it; the
 * rules read it.
 */
final class ExplodingRun {

    /** Smoothing of the loss's moving average (a short memory: about 10 snapshots). */
    static final double LOSS_ALPHA = 0.9;
    /**
     * Confirmation by the loss needs the loss to have given back more than this share of what it learned since the
     * scale was taken (all of its rise counts for a net that learned nothing): a loss that doubles from near zero
     * is a bump, not a divergence.
     */
    static final double GIVEN_BACK = 0.5;

    private final ExplodingDetector settings;
    private int early;
    private double earlyMax;
    private double[] layerEarlyMax = new double[0];
    private double[] layerSqrtSize = new double[0];
    private double previousGlobal = Double.NaN;
    private double lossAverage = Double.NaN;
    private double lossLowest = Double.NaN;
    private double earlyLoss = Double.NaN;

    ExplodingRun(ExplodingDetector settings) {
        this.settings = settings;
    }

    /** First look at a snapshot: a new model under this worker starts the scale over; the loss is followed. */
    void observe(GradientSnapshot s) {
        List<LayerGradientStats> layers = s.layers();
        if (layerEarlyMax.length != layers.size()) {
            layerEarlyMax = new double[layers.size()];
            layerSqrtSize = new double[layers.size()];
            for (int i = 0; i < layers.size(); i++) {
                long size = 0;
                for (var p : layers.get(i).params().values()) {
                    size += p.size();
                }
                layerSqrtSize[i] = Math.sqrt(size);
            }
            early = 0;
            earlyMax = 0;
        }
        double score = s.score();
        if (Double.isFinite(score)) {
            lossAverage = Double.isNaN(lossAverage) ? score : LOSS_ALPHA * lossAverage + (1 - LOSS_ALPHA) * score;
            lossLowest = Double.isNaN(lossLowest) ? lossAverage : Math.min(lossLowest, lossAverage);
        }
    }

    /**
     * Last look at a snapshot whose global norm {@code g} is finite, once the growth and spike rules judged it: while
     * the scale is being taken, a positive norm counts toward it.
     */
    void record(GradientSnapshot s, double g) {
        if (!scaled() && g > 0) {
            earlyMax = Math.max(earlyMax, g);
            List<LayerGradientStats> layers = s.layers();
            for (int i = 0; i < layers.size(); i++) {
                double n = layers.get(i).gradientNorm();
                if (Double.isFinite(n)) {
                    layerEarlyMax[i] = Math.max(layerEarlyMax[i], n);
                }
            }
            early++;
            earlyLoss = lossAverage;
        }
        previousGlobal = g;
    }

    /** True once the scale is taken; nothing is judged against it before. */
    boolean scaled() {
        return early >= settings.scaleWindow();
    }

    /** The run's scale: the largest global norm of its first snapshots. */
    double earlyMax() {
        return earlyMax;
    }

    /** The largest norm of layer {@code i} over the first snapshots; 0 when it had none. */
    double layerEarlyMax(int i) {
        return layerEarlyMax[i];
    }

    /** The square root of layer {@code i}'s number of parameters: its norm over this is the per-entry RMS. */
    double layerSqrtSize(int i) {
        return layerSqrtSize[i];
    }

    /** The global norm of the previous snapshot with a finite one; NaN before. */
    double previousGlobal() {
        return previousGlobal;
    }

    double lossAverage() {
        return lossAverage;
    }

    double lossLowest() {
        return lossLowest;
    }

    /** The loss's moving average when the scale was last extended. */
    double earlyLoss() {
        return earlyLoss;
    }

    /**
     * The loss rose for real: its moving average above {@code lossFactor} times its lowest, having given back what
     * it learned.
     */
    boolean lossRising() {
        return lossLowest > 0 && lossAverage > settings.lossFactor() * lossLowest && lossGaveBack();
    }

    /** The loss gave back more than {@link #GIVEN_BACK} of its fall from the warm-up level to its lowest. */
    boolean lossGaveBack() {
        double learned = Math.max(0, earlyLoss - lossLowest);
        return !(lossAverage - lossLowest <= GIVEN_BACK * learned);
    }
}
