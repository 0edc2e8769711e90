/**
 * Reactions: what the monitor does to a training step, not just what it sees. Each is one class behind one small
 * interface, {@link io.github.dl4jgradmon.internal.react.ReactionRuntime}, called in the order DL4J runs the step: before the
 * updater reads the gradient ({@code onGradientCalculation}), after the update ({@code iterationDone}), after the
 * detectors saw the step's snapshot.
 * <ul>
 *   <li>{@link io.github.dl4jgradmon.internal.react.StepSkippingRuntime}: a poisoned step (NaN/Inf gradient or score) is not
 *   applied: parameters and updater state are copied before and assigned back after, bit-identical; the copies carry
 *   the step's token and never outlive it. The skip budget stops training when poisoned steps keep coming.</li>
 *   <li>{@link io.github.dl4jgradmon.internal.react.GradientClippingRuntime}: a {@code GradientClipping} strategy plans on a
 *   {@code ClipTarget} ({@link io.github.dl4jgradmon.internal.react.ClipPlan}); the plan is applied in full once the
 *   strategy returned, or not at all.</li>
 *   <li>{@link io.github.dl4jgradmon.internal.react.LearningRateBackoffRuntime}: lowers the learning rate after repeated
 *   EXPLODING alerts.</li>
 *   <li>{@link io.github.dl4jgradmon.internal.react.LapseBudgetRuntime}: the policy when clipping or skipping could not run
 *   (a failure inside the monitor): a CRITICAL {@code PROTECTION_LAPSED} alert every time, a stop beyond the
 *   budget.</li>
 * </ul>
 * Each runtime is named after the configuration it runs ({@code GradientClipping}, {@code LearningRateBackoff}, the
 * skip and lapse {@code StepBudget}s). {@link io.github.dl4jgradmon.internal.react.ReactionChain} holds one model's
 * runtimes in order and {@code stats.Reaction} is what they did to a step, as the snapshot reports it;
 * {@link io.github.dl4jgradmon.internal.react.Step} is the step they share.
 *
 * <p>Internal: public only for the monitor, which builds the reactions from its builder options
 * ({@code clipping}, {@code skipNonFiniteSteps}, {@code learningRateBackoff}, {@code lapseBudget}). Reads and writes
 * of the model's buffers go through {@code stats.FlatSegments} (direct host memory on the CPU, ND4J operations
 * elsewhere); parameter and updater-state copies are ND4J operations on every backend.
 */
package io.github.dl4jgradmon.internal.react;
