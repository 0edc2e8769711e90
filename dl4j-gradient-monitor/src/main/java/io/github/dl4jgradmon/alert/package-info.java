/**
 * Alerts: what the detectors found, as data, and what to do about it.
 *
 * <p>A {@link io.github.dl4jgradmon.alert.GradientAlert} is a record: its {@link io.github.dl4jgradmon.alert.AlertType}
 * and {@link io.github.dl4jgradmon.alert.Severity}, the worker, iteration, layer (and parameter) where it was seen, the
 * measured value and the threshold it crossed, a message with the numbers, and a hint written as the DL4J
 * configuration change that usually fixes it ({@code .activation(Activation.RELU).weightInit(WeightInit.RELU)},
 * {@code .gradientNormalization(GradientNormalization.ClipL2PerLayer)}, ...).
 *
 * <p>Alerts go to {@link io.github.dl4jgradmon.alert.AlertHandler}s. The failure policy is chosen explicitly by the
 * handlers registered:
 * <ul>
 *     <li>warn: {@link io.github.dl4jgradmon.alert.Slf4jAlertHandler} logs one line per alert, rate-limited per
 *     (type, layer) with periodic summaries, in the spirit of Micrometer's {@code WarnThenDebugLogger};</li>
 *     <li>stop: {@link io.github.dl4jgradmon.alert.StopTrainingHandler} throws a
 *     {@link io.github.dl4jgradmon.alert.GradientAlertException} carrying the alert, as DJL's
 *     {@code DivergenceCheckTrainingListener} does on a NaN loss;</li>
 *     <li>stop cleanly inside DL4J early stopping: {@link io.github.dl4jgradmon.alert.AlertTerminationCondition} is both
 *     a handler and an {@code IterationTerminationCondition}, so the early-stopping result records why training
 *     ended (as PyTorch Lightning's {@code EarlyStopping} records its stopping reason).</li>
 * </ul>
 *
 * <pre>{@code
 * GradientMonitor monitor = GradientMonitor.builder()
 *         .onAlert(new Slf4jAlertHandler())
 *         .onAlert(StopTrainingHandler.onNonFinite())
 *         .build();
 * }</pre>
 *
 * <p>The rules behind the alert types are AutoTrainer (Zhang et al., "AUTOTRAINER: An Automatic DNN Training Problem
 * Detection and Repair System", ICSE 2021), DeepDiagnosis (Wardat et al., "DeepDiagnosis: Automatically Diagnosing
 * Faults and Recommending Actionable Fixes in Deep Learning Programs", ICSE 2022), ZClip (Kumar et al., "ZClip:
 * Adaptive Spike Mitigation for LLM Pre-Training", 2025) and Megatron-LM's loss-spike check; see
 * {@code io.github.dl4jgradmon.detect}.
 *
 * <p>Delivery ({@link io.github.dl4jgradmon.internal.alert.AlertDelivery}, internal): every alert goes to the monitor's
 * history, the rate-limited log and each handler in turn, each isolated: a handler that throws is contained (logged
 * once, counted in {@code monitor.faultCount()}) and the next one still runs. What may pass to {@code fit()} is
 * decided in one place, {@link io.github.dl4jgradmon.internal.alert.Faults#mustPass}: a requested stop
 * ({@code GradientAlertException}, thrown once every handler had the alert) and the JVM's fatal errors
 * ({@code VirtualMachineError} other than {@code StackOverflowError}); everything else is contained.
 *
 * <p>Public: every type except {@code AlertRateLimiter}, {@code AlertSelection}, {@code AlertDelivery} and
 * {@code Faults}, which are internal. The library ships no SLF4J binding.
 */
package io.github.dl4jgradmon.alert;

