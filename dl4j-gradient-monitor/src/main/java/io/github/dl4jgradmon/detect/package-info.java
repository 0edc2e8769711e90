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
 * <p>Rules users can trust. A false alarm is worse than none: after the second false CRITICAL a user turns detection
 * off. Hence: relative rules judge a run against its own scale and only after a warm-up (never against a baseline of
 * one snapshot, never against an absolute ceiling that cannot know a model's size); CRITICAL needs confirmation;
 * a condition that spans layers is ONE alert ({@link io.github.dl4jgradmon.alert.GradientAlert#layers()} names them,
 * filed under the first, kept stable while it persists); layer pairs follow the model's
 * {@link io.github.dl4jgradmon.model.LayerGraph} (layers fed by the inputs against the layers feeding the outputs they
 * reach), so multi-input and multi-output graphs are judged per path; a stalled run is told from convergence by the
 * loss.
 *
 * <p>The built-in rules and where they come from:
 * <ul>
 *     <li>{@link io.github.dl4jgradmon.detect.NonFiniteDetector}: NaN/Inf gradients or score, at the iteration they
 *     appear, filed under the layer where they start in backprop order (DeepDiagnosis' exploding tensor;
 *     AutoTrainer's NaN check).</li>
 *     <li>{@link io.github.dl4jgradmon.detect.ExplodingDetector}, five rules that name themselves in their alerts:
 *     {@code growth} of the global norm far above the run's early scale, CRITICAL when the loss rises with it, when it
 *     is sustained or when the norm turns non-finite; {@code size}, gradient entries averaging above 1e4 in a layer;
 *     one-batch {@code spike}s of log(norm) against an exponential moving mean and variance with ZClip's smoothing
 *     (alpha 0.97) and warm-up (25), reported as INFO; AutoTrainer's input-side/output-side {@code layer-ratio} above
 *     70; an optional absolute {@code ceiling} (off by default).</li>
 *     <li>{@link io.github.dl4jgradmon.detect.VanishingDetector}: AutoTrainer's first/last ratio below 1e-3 with a
 *     first-layer norm below 1e-4, persisting, per path.</li>
 *     <li>{@link io.github.dl4jgradmon.detect.DeadUnitsDetector}: AutoTrainer's dying-ReLU zero fraction &gt;= 0.7
 *     (DeepDiagnosis' dead node, 70%), read on the bias gradient so sparse inputs do not trip it; DeepDiagnosis'
 *     false alarms on 35 of 78 healthy MNIST models are the failure it is built to avoid.</li>
 *     <li>{@link io.github.dl4jgradmon.detect.SaturationDetector}: DeepDiagnosis' saturated activation (more than
 *     half of the inputs beyond +-5), only on layer types whose forward pass applies the sigmoid/tanh (not
 *     BatchNormalization).</li>
 *     <li>{@link io.github.dl4jgradmon.detect.UpdateRatioDetector}: log10(update/param) far from -3 (DL4J's
 *     visualization guide; DeepDiagnosis' learning-rate check), with conservative bounds.</li>
 *     <li>{@link io.github.dl4jgradmon.detect.LossSpikeDetector}: a score more than 10 times its moving average
 *     (Megatron-LM's loss-spike check).</li>
 *     <li>{@link io.github.dl4jgradmon.detect.NoGradientDetector}: a dead network, 90% of the parameter arrays at
 *     exactly zero on consecutive snapshots (field cases: a zoo ResNet50 and a UNet that stopped learning).</li>
 *     <li>{@link io.github.dl4jgradmon.detect.StallDetector}: every layer tiny while the loss stays at its starting
 *     (chance) level or stops moving (AutoTrainer's slow-convergence symptom, read on the loss).</li>
 * </ul>
 *
 * <p>References: Zhang, Zhai, Zhou, Fang, Lin, "AUTOTRAINER: An Automatic DNN Training Problem Detection and Repair
 * System", ICSE 2021. Wardat, Cruz, Le, Rajan, "DeepDiagnosis: Automatically Diagnosing Faults and Recommending
 * Actionable Fixes in Deep Learning Programs", ICSE 2022. Kumar et al., "ZClip: Adaptive Spike Mitigation for LLM
 * Pre-Training", 2025.
 *
 * <p>Public: {@code Detector}, {@code DetectorSuite}, {@code DetectorSession} and the nine detectors. Everything else
 * here (validation, formatting, grouping, graph paths, moving averages, windows, hint texts, ExplodingDetector's rule
 * objects) is internal.
 */
package io.github.dl4jgradmon.detect;

