package io.github.dl4jgradmon.suite;

import io.github.dl4jgradmon.GradientMonitor;
import io.github.dl4jgradmon.detect.DetectorSuite;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Trains a {@link LabeledCase} with a {@link GradientMonitor} running the given detectors (alerts not logged) and
 * collects its alerts, its loss curve's start and end, and (healthy classifiers) its held-out accuracy.
 *
 * <pre>{@code
 * CaseResult r = CaseRunner.run(LabeledCases.byName("healthy-relu-he-adam-mlp"));
 * }</pre>
 *
 * <p>A healthy case's last minibatch is held out; the others are cycled. A run ends after the case's maximum
 * iterations, or once its loss has flattened ({@link Convergence}) after its minimum, or when its wall-clock budget
 * is spent: {@link CaseResult#stop()} says which.
 */
public final class CaseRunner {

    private CaseRunner() {
    }

    /**
     * Makes ND4J run its ops on the calling thread only. The suite's models are tiny, so OpenMP threads gain nothing
     * and, on a loaded 2-core machine, cost 10x or more in spin-waiting. Global: call it in a JVM that only runs
     * the suite (its tests, the report).
     */
    public static void useOneNd4jThread() {
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
    }

    /** Runs the case with {@link DetectorSuite#defaults()}. */
    public static CaseResult run(LabeledCase c) {
        return run(c, DetectorSuite.defaults());
    }

    public static CaseResult run(LabeledCase c, DetectorSuite detectors) {
        Object net = c.net().get();
        List<?> all = c.data().get();
        if (all.isEmpty()) {
            throw new IllegalArgumentException("case " + c.name() + " has no minibatches");
        }
        boolean holdOut = c.healthy() && all.size() > 1;
        List<?> train = holdOut ? all.subList(0, all.size() - 1) : all;
        GradientMonitor monitor = GradientMonitor.builder().detectors(detectors).logAlerts(false).threads(1)
                .historySize(8).build();
        NonFiniteProbe probe = new NonFiniteProbe();
        Trainer trainer = trainer(c, net);
        trainer.listen(probe, monitor);
        double[] losses = new double[c.iterations()];
        int fits = 0;
        long start = System.nanoTime();
        long budget = c.maxSeconds() * 1_000_000_000L;
        CaseResult.Stop stop = c.minIterations() == c.iterations() ? CaseResult.Stop.FIXED
                : CaseResult.Stop.MAX_ITERATIONS;
        while (trainer.iterations() < c.iterations()) {
            trainer.fit(train.get(fits % train.size()));
            losses[fits] = trainer.score();
            fits++;
            if (stop != CaseResult.Stop.FIXED && trainer.iterations() >= c.minIterations()
                    && fits % Convergence.WINDOW == 0 && Convergence.flat(losses, fits)) {
                stop = CaseResult.Stop.FLAT;
                break;
            }
            if (budget > 0 && System.nanoTime() - start > budget && trainer.iterations() < c.iterations()) {
                stop = CaseResult.Stop.TIME_BUDGET;
                break;
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        double startLoss = Convergence.mean(losses, 0, Math.min(Convergence.START, fits));
        double endLoss = Convergence.mean(losses, Math.max(0, fits - Convergence.WINDOW), fits);
        OptionalDouble accuracy = holdOut ? Accuracy.of(trainer, all.get(all.size() - 1)) : OptionalDouble.empty();
        return new CaseResult(c, monitor.alerts(), probe.first, trainer.iterations(), startLoss, endLoss,
                c.chance().loss(train), accuracy, stop, millis);
    }

    private static Trainer trainer(LabeledCase c, Object net) {
        if (net instanceof MultiLayerNetwork m) {
            return new Trainer(m, null);
        }
        if (net instanceof ComputationGraph g) {
            return new Trainer(null, g);
        }
        throw new IllegalArgumentException("case " + c.name() + " built a " + net.getClass().getName()
                + ", not a MultiLayerNetwork or ComputationGraph");
    }

    /** One network of either kind, fed DataSets or MultiDataSets. */
    static final class Trainer {
        private final MultiLayerNetwork mln;
        private final ComputationGraph cg;

        Trainer(MultiLayerNetwork mln, ComputationGraph cg) {
            this.mln = mln;
            this.cg = cg;
        }

        void listen(BaseTrainingListener... listeners) {
            if (mln != null) {
                mln.setListeners(listeners);
            } else {
                cg.setListeners(listeners);
            }
        }

        void fit(Object batch) {
            if (batch instanceof DataSet d) {
                if (mln != null) {
                    mln.fit(d);
                } else {
                    cg.fit(d);
                }
            } else if (batch instanceof MultiDataSet d && cg != null) {
                cg.fit(d);
            } else {
                throw new IllegalArgumentException("a " + (mln != null ? "MultiLayerNetwork" : "ComputationGraph")
                        + " cannot be fitted with a " + batch.getClass().getName());
            }
        }

        /**
         * The data loss of the last step: DL4J's score minus its L1/L2 term (taken with the parameters after the
         * step). The chance level and the learned and flat verdicts are about the data loss; with a weight penalty
         * in the score (AlexNet's L2 5e-4 is most of its starting score) they would judge the penalty.
         */
        double score() {
            return mln != null ? mln.score() - mln.calcRegularizationScore(true)
                    : cg.score() - cg.calcRegularizationScore(true);
        }

        long iterations() {
            return mln != null ? mln.getIterationCount() : cg.getIterationCount();
        }

        /** Network outputs for the batch's features, in inference mode. */
        INDArray[] output(Object batch) {
            if (batch instanceof DataSet d) {
                return mln != null ? new INDArray[] {mln.output(d.getFeatures(), false)}
                        : cg.output(false, d.getFeatures());
            }
            MultiDataSet d = (MultiDataSet) batch;
            return cg.output(false, d.getFeatures());
        }
    }

    /** Finds the first raw gradient with a NaN/Inf using ND4J itself, independently of the monitor's scan. */
    private static final class NonFiniteProbe extends BaseTrainingListener {
        private OptionalLong first = OptionalLong.empty();

        @Override
        public void onGradientCalculation(Model model) {
            if (first.isPresent()) {
                return;
            }
            INDArray g = model.getGradientsViewArray();
            if (BooleanIndexing.or(g, Conditions.isNan()) || BooleanIndexing.or(g, Conditions.isInfinite())) {
                long iteration = model instanceof MultiLayerNetwork m ? m.getIterationCount()
                        : ((ComputationGraph) model).getIterationCount();
                first = OptionalLong.of(iteration);
            }
        }
    }

    /** Held-out accuracy over the classification outputs of a batch. */
    static final class Accuracy {
        private Accuracy() {
        }

        static OptionalDouble of(Trainer trainer, Object batch) {
            INDArray[] labels;
            INDArray[] masks;
            if (batch instanceof DataSet d) {
                labels = new INDArray[] {d.getLabels()};
                masks = new INDArray[] {d.getLabelsMaskArray()};
            } else {
                MultiDataSet d = (MultiDataSet) batch;
                labels = d.getLabels();
                masks = d.getLabelsMaskArrays() == null ? new INDArray[labels.length] : d.getLabelsMaskArrays();
            }
            INDArray[] out = trainer.output(batch);
            long right = 0;
            long total = 0;
            for (int i = 0; i < labels.length; i++) {
                long[] counts = count(labels[i], out[i], masks[i]);
                right += counts[0];
                total += counts[1];
            }
            return total == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) right / total);
        }

        /**
         * {right, total} for one output: one-hot labels (rank 2 [n, k] or rank 3 [n, k, t], masked steps skipped)
         * compared by arg-max; a single-channel 0/1 label (rank 4 [n, 1, h, w]) compared per pixel at 0.5; other
         * labels (regression, object detection) give {0, 0}.
         */
        private static long[] count(INDArray labels, INDArray out, INDArray mask) {
            float[] y = labels.dup('c').data().asFloat();
            float[] p = out.dup('c').data().asFloat();
            for (float v : y) {
                if (v != 0f && v != 1f) {
                    return new long[] {0, 0};
                }
            }
            long[] s = labels.shape();
            if (s.length == 4 && s[1] == 1) {
                long right = 0;
                for (int i = 0; i < y.length; i++) {
                    right += (p[i] >= 0.5f) == (y[i] == 1f) ? 1 : 0;
                }
                return new long[] {right, y.length};
            }
            if (s.length != 2 && s.length != 3) {
                return new long[] {0, 0};
            }
            long n = s[0];
            long k = s[1];
            long t = s.length == 3 ? s[2] : 1;
            float[] m = mask == null ? null : mask.dup('c').data().asFloat();
            long right = 0;
            long total = 0;
            for (long i = 0; i < n; i++) {
                for (long step = 0; step < t; step++) {
                    if (m != null && m[(int) (i * t + step)] == 0f) {
                        continue;
                    }
                    int best = 0;
                    int truth = -1;
                    float bestP = Float.NEGATIVE_INFINITY;
                    for (int j = 0; j < k; j++) {
                        int idx = (int) ((i * k + j) * t + step);
                        if (p[idx] > bestP) {
                            bestP = p[idx];
                            best = j;
                        }
                        if (y[idx] == 1f) {
                            truth = j;
                        }
                    }
                    if (truth < 0) {
                        continue; // an unlabeled step
                    }
                    right += best == truth ? 1 : 0;
                    total++;
                }
            }
            return new long[] {right, total};
        }
    }

}
