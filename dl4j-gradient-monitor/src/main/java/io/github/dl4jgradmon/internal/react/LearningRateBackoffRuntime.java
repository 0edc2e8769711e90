package io.github.dl4jgradmon.internal.react;

import io.github.dl4jgradmon.LearningRateBackoff;
import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.model.LayerSlot;

import java.util.List;
import java.util.Optional;

/**
 * Lowers every layer's learning rate by {@code factor} (never below {@code floor}) once {@code afterAlerts}
 * EXPLODING alerts of WARNING or CRITICAL severity (INFO spikes do not count) were raised within {@code windowIterations}; reports it as an {@code LR_REDUCED} alert.
 */
public final class LearningRateBackoffRuntime implements ReactionRuntime {

    private final LearningRateBackoff config;
    private final WindowedCount explosions;

    public LearningRateBackoffRuntime(LearningRateBackoff config) {
        this.config = config;
        this.explosions = new WindowedCount(config.windowIterations());
    }

    @Override
    public void afterDetection(Step step, List<GradientAlert> raised) {
        long iteration = step.iteration();
        for (GradientAlert a : raised) {
            if (a.type() == AlertType.EXPLODING && a.severity().isAtLeast(Severity.WARNING)) { // not INFO spikes
                explosions.add(iteration);
            }
        }
        explosions.slide(iteration);
        if (explosions.inWindow() < config.afterAlerts()) {
            return;
        }
        explosions.clear();
        StringBuilder changes = new StringBuilder();
        double first = Double.NaN;
        double next = Double.NaN;
        for (LayerSlot layer : step.scan().layout().layers()) {
            Optional<Double> lr = step.adapter().learningRate(layer);
            if (lr.isEmpty()) {
                continue;
            }
            double reduced = Math.max(config.floor(), lr.get() * config.factor());
            if (reduced < lr.get()) {
                step.adapter().learningRate(layer, reduced);
                changes.append(changes.length() == 0 ? "" : ", ").append(layer.name()).append(' ')
                        .append(lr.get()).append(" -> ").append(reduced);
                if (Double.isNaN(first)) {
                    first = lr.get();
                    next = reduced;
                }
            }
        }
        if (changes.length() == 0) {
            return;
        }
        step.raise(new GradientAlert(AlertType.LR_REDUCED, Severity.WARNING, step.workerId(), iteration,
                GradientAlert.MODEL, Optional.empty(), next, first,
                "learning rate reduced after " + config.afterAlerts() + " EXPLODING alerts within "
                        + config.windowIterations()
                        + " iterations: " + changes,
                "if explosions continue, lower the learning rate in the configuration (.updater(new Adam(lr)))"
                        + " or add .clipping(GradientClipping.globalNorm(1.0))"));
    }
}
