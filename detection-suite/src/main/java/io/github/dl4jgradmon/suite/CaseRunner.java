package io.github.dl4jgradmon.suite;

import io.github.dl4jgradmon.GradientMonitor;
import io.github.dl4jgradmon.detect.DetectorSuite;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

import java.util.List;
import java.util.OptionalLong;

/**
 * Trains a {@link LabeledCase} with a {@link GradientMonitor} running the given detectors (alerts not logged) and
 * collects its alerts.
 *
 * <pre>{@code
 * CaseResult r = CaseRunner.run(LabeledCases.byName("healthy-relu-he-adam-mlp"));
 * }</pre>
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
        List<DataSet> data = c.data().get();
        GradientMonitor monitor = GradientMonitor.builder().detectors(detectors).logAlerts(false).threads(1)
                .historySize(c.iterations()).build();
        NonFiniteProbe probe = new NonFiniteProbe();
        long start = System.nanoTime();
        if (net instanceof MultiLayerNetwork m) {
            m.setListeners(probe, monitor);
            for (int i = 0; i < c.iterations(); i++) {
                m.fit(data.get(i % data.size()));
            }
        } else if (net instanceof ComputationGraph g) {
            g.setListeners(probe, monitor);
            for (int i = 0; i < c.iterations(); i++) {
                g.fit(data.get(i % data.size()));
            }
        } else {
            throw new IllegalArgumentException("case " + c.name() + " built a " + net.getClass().getName()
                    + ", not a MultiLayerNetwork or ComputationGraph");
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new CaseResult(c, monitor.alerts(), probe.first, millis);
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
}
