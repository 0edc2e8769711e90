/**
 * Reactions: what the monitor does to a training step, not just what it sees. Each is one class behind one small
 * interface, {@link io.github.dl4jgradmon.internal.react.StepReaction}, called in the order DL4J runs the step: before the
 * updater reads the gradient ({@code onGradientCalculation}), after the update ({@code iterationDone}), after the
 * detectors saw the step's snapshot.
 * <ul>
 *   <li>{@link io.github.dl4jgradmon.internal.react.StepSkipping}: a poisoned step (NaN/Inf gradient or score) is not
 *   applied: parameters and updater state are copied before and assigned back after, bit-identical; the copies carry
 *   the step's token and never outlive it. The skip budget stops training when poisoned steps keep coming.</li>
 *   <li>{@link io.github.dl4jgradmon.internal.react.ClippingReaction}: a {@code GradientClipping} strategy plans on a
 *   {@code ClipTarget}; the plan is applied in full once the strategy returned, or not at all.</li>
 *   <li>{@link io.github.dl4jgradmon.internal.react.LearningRateBackingOff}: lowers the learning rate after repeated
 *   EXPLODING alerts.</li>
 *   <li>{@link io.github.dl4jgradmon.internal.react.ProtectionLapses}: the policy when clipping or skipping could not run
 *   (a failure inside the monitor): a CRITICAL {@code PROTECTION_LAPSED} alert every time, a stop beyond the
 *   budget.</li>
 * </ul>
 * {@link io.github.dl4jgradmon.internal.react.Reactions} holds one model's reactions in order;
 * {@link io.github.dl4jgradmon.internal.react.Step} is the step they share.
 *
 * <p>Internal: public only for the monitor, which builds the reactions from its builder options
 * ({@code clipping}, {@code skipNonFiniteSteps}, {@code learningRateBackoff}, {@code lapseBudget}). Reads and writes
 * of the model's buffers go through {@code stats.FlatSegments} (direct host memory on the CPU, ND4J operations
 * elsewhere); parameter and updater-state copies are ND4J operations on every backend.
 */
package io.github.dl4jgradmon.internal.react;
