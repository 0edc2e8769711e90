package io.github.dl4jgradmon.internal.stats;

import io.github.dl4jgradmon.model.LayerSlot;
import io.github.dl4jgradmon.model.ParamSlot;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;
import io.github.dl4jgradmon.stats.MovedParamStats;
import io.github.dl4jgradmon.stats.ParamGradientStats;
import io.github.dl4jgradmon.stats.Reaction;
import io.github.dl4jgradmon.stats.UnwatchedLayers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a {@link LayoutScanner}'s raw sums into immutable statistics in DL4J's batch-averaged units. With a layer
 * filter, the snapshot lists the watched layers only; the others are summed into its
 * {@link GradientSnapshot#unwatched()} part, and the global norm covers both.
 */
public final class SnapshotAssembler {

    private SnapshotAssembler() {
    }

    /**
     * @param step           the step's worker, counters, score, minibatch and divisor
     * @param updateObserved whether {@link LayoutScanner#scanUpdates} ran for this iteration
     * @param saturation     per layer, the saturated fraction measured in this iteration's forward pass; null or NaN
     *                       entries when not measured
     */
    public static GradientSnapshot assemble(LayoutScanner scan, StepHeader step, boolean updateObserved,
                                            Reaction reaction, double[] saturation) {
        double divisor = step.divisor();
        List<LayerGradientStats> layers = new ArrayList<>(scan.layout().layers().size());
        double globalSq = 0;
        int s = 0;
        int m = scan.segmentCount(); // moved segments follow the gradient-driven ones
        int l = 0;
        int unwatchedLayers = 0;
        long unwatchedParams = 0;
        long unwatchedNan = 0;
        long unwatchedInf = 0;
        double unwatchedSq = 0;
        for (LayerSlot layer : scan.layout().layers()) {
            if (!scan.watchesLayer(l)) {
                for (ParamSlot slot : layer.params()) {
                    unwatchedParams += slot.length();
                    unwatchedNan += scan.nan[s];
                    unwatchedInf += scan.inf[s];
                    unwatchedSq += scan.sumSq[s]; // the finite entries' part when some are not
                    s++;
                }
                m += layer.moved().size();
                unwatchedLayers++;
                l++;
                continue;
            }
            Map<String, ParamGradientStats> params = new LinkedHashMap<>();
            double layerSq = 0;
            double layerParamSq = 0;
            double layerUpdateSq = 0;
            for (ParamSlot slot : layer.params()) {
                long n = slot.length();
                long finite = n - scan.nan[s] - scan.inf[s];
                boolean nonFinite = scan.nan[s] > 0 || scan.inf[s] > 0;
                double norm = nonFinite ? (scan.nan[s] > 0 ? Double.NaN : Double.POSITIVE_INFINITY)
                        : Math.sqrt(scan.sumSq[s]) / divisor;
                double meanAbs = finite > 0 ? scan.sumAbs[s] / finite / divisor : Double.NaN;
                double maxAbs = finite > 0 ? scan.maxAbs[s] / divisor : Double.NaN;
                double zeroFraction = n > 0 ? (double) scan.zeros[s] / n : 0;
                double paramNorm = Math.sqrt(scan.paramSumSq[s]);
                double updateNorm = updateObserved ? Math.sqrt(scan.updateSumSq[s]) : Double.NaN;
                params.put(slot.key(), new ParamGradientStats(n, norm, meanAbs, maxAbs, zeroFraction, scan.nan[s],
                        scan.inf[s], paramNorm, updateNorm, Ratios.ratio(updateNorm, paramNorm)));
                layerSq += nonFinite ? norm : scan.sumSq[s];
                layerParamSq += scan.paramSumSq[s];
                layerUpdateSq += updateObserved ? scan.updateSumSq[s] : Double.NaN;
                s++;
            }
            Map<String, MovedParamStats> moved = new LinkedHashMap<>();
            for (ParamSlot slot : layer.moved()) {
                double paramNorm = Math.sqrt(scan.paramSumSq[m]);
                double updateNorm = updateObserved ? Math.sqrt(scan.updateSumSq[m]) : Double.NaN;
                moved.put(slot.key(), new MovedParamStats(slot.length(), paramNorm, updateNorm,
                        Ratios.ratio(updateNorm, paramNorm)));
                m++;
            }
            double layerNorm = Double.isFinite(layerSq) ? Math.sqrt(layerSq) / divisor : layerSq;
            layers.add(new LayerGradientStats(layer.name(), layer.index(), layer.type(), layerNorm,
                    Math.sqrt(layerParamSq), Math.sqrt(layerUpdateSq), params,
                    saturation != null && l < saturation.length ? saturation[l] : Double.NaN, moved,
                    layer.handling(), layer.activationName()));
            l++;
            globalSq += layerSq;
        }
        Optional<UnwatchedLayers> unwatched = Optional.empty();
        if (scan.filtered()) {
            double norm = unwatchedNan > 0 ? Double.NaN : unwatchedInf > 0 ? Double.POSITIVE_INFINITY
                    : Math.sqrt(unwatchedSq) / divisor;
            unwatched = Optional.of(new UnwatchedLayers(scan.filter(), unwatchedLayers, unwatchedParams, norm,
                    unwatchedNan, unwatchedInf));
            globalSq += unwatchedNan > 0 ? Double.NaN : unwatchedInf > 0 ? Double.POSITIVE_INFINITY : unwatchedSq;
        }
        double global = Double.isFinite(globalSq) ? Math.sqrt(globalSq) / divisor : globalSq;
        return new GradientSnapshot(step.workerId(), step.iteration(), step.epoch(), step.score(), step.batchSize(), global,
                step.timestampMillis(), layers,
                reaction, scan.watchedGraph(), Optional.empty(), unwatched);
    }
}
