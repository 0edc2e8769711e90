package io.github.dl4jgradmon.alert;

/**
 * What kind of gradient problem an alert reports. Each constant is produced by one detector of
 * {@code io.github.dl4jgradmon.detect}.
 *
 * <pre>{@code
 * if (alert.type() == AlertType.VANISHING) {
 *     System.out.println("early layers learn too slowly: " + alert.hint());
 * }
 * }</pre>
 */
public enum AlertType {
    /** A gradient entry (or the score) is NaN or Inf. */
    NON_FINITE,
    /**
     * Divergence: the gradient norm grew far above the run's own early scale (CRITICAL once confirmed by the loss
     * rising with it, sustained growth or a non-finite norm); an isolated spike against its moving baseline (INFO);
     * an input-side layer's norm dwarfing the output-side layers' (AutoTrainer's ratio); an optional absolute ceiling.
     */
    EXPLODING,
    /** The early layers' gradients are tiny next to the last layer's, for several iterations. */
    VANISHING,
    /** Most units of a layer receive an exactly-zero gradient (dead ReLU units), over a window of iterations. */
    DEAD_UNITS,
    /** Most inputs of a sigmoid/tanh layer lie beyond +-5, where the activation is flat, over a window. */
    SATURATION,
    /** The update:parameter ratio of a layer stays far from 1e-3 (learning rate too high or too low). */
    UPDATE_RATIO,
    /** The score jumps far above its recent level. */
    LOSS_SPIKE,
    /**
     * Nothing learns: every trainable gradient (or nearly every parameter array, 90% by default) is exactly zero,
     * for a few snapshots in a row. A dead network (all ReLU units off, a broken graph, a detached loss).
     */
    NO_GRADIENT,
    /**
     * A stalled run: every layer's gradient is tiny while the loss stays near its starting (chance) level and stops
     * moving. Distinguished from convergence by the loss: a converged net's loss has fallen.
     */
    STALLED,
    /**
     * A poisoned step (NaN/Inf gradient or score) was not applied: parameters and updater state were restored.
     * Raised at {@code iterationDone}, once the restore has run; a restore that fails raises
     * {@link #PROTECTION_LAPSED} instead.
     */
    STEP_SKIPPED,
    /** The learning rate was lowered after repeated explosions (learning-rate back-off). */
    LR_REDUCED,
    /**
     * Clipping or step skipping was configured but could not run for a step (a failure inside the monitor); the
     * message says what became of the step (applied unprotected, checked by the fallback and applied, skipped, or
     * a skip whose restore failed). CRITICAL, logged at ERROR; training stops once the lapse budget is spent.
     */
    PROTECTION_LAPSED
}
