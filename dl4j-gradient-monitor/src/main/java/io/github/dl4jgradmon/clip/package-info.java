/**
 * Gradient clipping strategies the monitor applies in place to the raw gradient, before DL4J's updater.
 *
 * <p>Public: {@link io.github.dl4jgradmon.clip.GradientClipping} and its factories. Everything else is internal.
 * {@link io.github.dl4jgradmon.clip.ClipTarget} is the interface a strategy plans its operations on (norms, scale,
 * clamp, AGC); the monitor's implementation ({@code internal.react.ClipPlan}) applies them all together once the
 * strategy returned (all or nothing).
 *
 * <p>Why here and not in DL4J's configuration: DL4J's {@code GradientNormalization} clips per layer or per parameter
 * array only. Whole-model norm clipping (PyTorch's {@code clip_grad_norm_}) keeps the gradient's direction, which
 * per-layer clipping does not; and the adaptive methods need state across iterations:
 * <ul>
 *   <li>AGC: A. Brock, S. De, S. L. Smith, K. Simonyan, "High-Performance Large-Scale Image Recognition Without
 *   Normalization", ICML 2021. Unit-wise ratio of gradient norm to weight norm.</li>
 *   <li>AutoClip: P. Seetharaman, G. Wichern, B. Pardo, J. Le Roux, "AutoClip: Adaptive Gradient Clipping for Source
 *   Separation Networks", MLSP 2020. A percentile of the run's own norm history.</li>
 *   <li>ZClip: A. Kumar, L. Owen, N. R. Ashley, A. Kordi, P. Heng, "ZClip: Adaptive Spike Mitigation for LLM
 *   Pre-Training", 2025. z-score against EMA statistics of the norm.</li>
 * </ul>
 * Order with DL4J's own normalization: this clipping runs first (on the raw gradient, in {@code onGradientCalculation});
 * DL4J then divides by the minibatch size and applies the layer's {@code GradientNormalization}, then the updater.
 */
package io.github.dl4jgradmon.clip;
