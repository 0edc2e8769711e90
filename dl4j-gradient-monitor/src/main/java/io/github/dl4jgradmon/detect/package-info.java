/**
 * Detection: rules that read each {@link io.github.dl4jgradmon.stats.GradientSnapshot} of a worker and raise
 * {@link io.github.dl4jgradmon.alert.GradientAlert}s.
 *
 * <p>A {@link io.github.dl4jgradmon.detect.Detector} is one rule: an immutable, validated, serializable configuration
 * (a record with a builder) that creates a fresh {@link io.github.dl4jgradmon.detect.Detector.Session} per worker. The
 * session keeps only bounded state (exponential moving averages, small fixed windows, counters) and returns
 * {@code List.of()} when it has nothing to say, so running every detector on every iteration costs next to nothing.
 * {@link io.github.dl4jgradmon.detect.DetectorSuite} is the set the monitor runs ({@code DetectorSuite.defaults()},
 * or a builder to replace, disable and add detectors); {@link io.github.dl4jgradmon.detect.DetectorSession} runs a
 * suite for one worker and contains a failing detector.
 *
 * <pre>{@code
 * DetectorSession session = DetectorSuite.defaults().newSession(snapshot.workerId());
 * List<GradientAlert> alerts = session.inspect(snapshot);
 * }</pre>
 *
 * <p>The built-in rules and where they come from:
 * <ul>
 *     <li>{@link io.github.dl4jgradmon.detect.NonFiniteDetector}: NaN/Inf gradients or score, at the iteration they
 *     appear, named at the first layer in backprop order (DeepDiagnosis' exploding tensor; AutoTrainer's NaN
 *     check).</li>
 *     <li>{@link io.github.dl4jgradmon.detect.ExplodingDetector}: an absolute ceiling; spikes of log(norm) against
 *     an exponential moving mean and variance with ZClip's smoothing (alpha 0.97) and warm-up (25); runaway growth of
 *     the global norm; AutoTrainer's first/last layer ratio above 70.</li>
 *     <li>{@link io.github.dl4jgradmon.detect.VanishingDetector}: AutoTrainer's first/last ratio below 1e-3 with a
 *     first-layer norm below 1e-4, persisting.</li>
 *     <li>{@link io.github.dl4jgradmon.detect.DeadUnitsDetector}: AutoTrainer's dying-ReLU zero fraction &gt;= 0.7
 *     (DeepDiagnosis' dead node, 70%), read on the bias gradient so sparse inputs do not trip it; DeepDiagnosis'
 *     false alarms on 35 of 78 healthy MNIST models are the failure it is built to avoid.</li>
 *     <li>{@link io.github.dl4jgradmon.detect.UpdateRatioDetector}: log10(update/param) far from -3 (DL4J's
 *     visualization guide; DeepDiagnosis' learning-rate check), with conservative bounds.</li>
 *     <li>{@link io.github.dl4jgradmon.detect.LossSpikeDetector}: a score more than 10 times its moving average
 *     (Megatron-LM's loss-spike check).</li>
 * </ul>
 *
 * <p>References: Zhang, Zhai, Zhou, Fang, Lin, "AUTOTRAINER: An Automatic DNN Training Problem Detection and Repair
 * System", ICSE 2021. Wardat, Cruz, Le, Rajan, "DeepDiagnosis: Automatically Diagnosing Faults and Recommending
 * Actionable Fixes in Deep Learning Programs", ICSE 2022. Kumar et al., "ZClip: Adaptive Spike Mitigation for LLM
 * Pre-Training", 2025.
 *
 * <p>Public: {@code Detector}, {@code DetectorSuite}, {@code DetectorSession} and the six detectors. Everything else
 * here (validation, formatting, moving averages, windows, hint texts) is internal.
 */
package io.github.dl4jgradmon.detect;
