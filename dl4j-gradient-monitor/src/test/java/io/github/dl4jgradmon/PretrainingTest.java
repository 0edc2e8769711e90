package io.github.dl4jgradmon;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.detect.Detector;
import io.github.dl4jgradmon.detect.DetectorSuite;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.AutoEncoder;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.variational.VariationalAutoencoder;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Layer-wise pretraining ({@code net.pretrain(...)}): DL4J calls the listeners with the layer as the model. The
 * monitor reports those steps as pretraining of that layer, with statistics checked against the layer's own parameter
 * views (plain SGD: the batch-averaged gradient is {@code (before - after) / lr}, in double), keeps them in a worker
 * of their own (detectors judge them with their own state), and supervised fitting afterwards goes on as before.
 */
class PretrainingTest {

    private static final double LR = 0.05;
    private static final int BATCH = 16;
    private static final int BATCHES = 5;
    private static final int N_IN = 12;

    private static MultiLayerNetwork net(String kind) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(7)
                .dataType(DataType.DOUBLE).updater(new Sgd(LR)).weightInit(WeightInit.XAVIER).list();
        if (kind.equals("vae")) {
            list.layer(new VariationalAutoencoder.Builder().nIn(N_IN).nOut(3).encoderLayerSizes(8)
                    .decoderLayerSizes(8).activation(Activation.TANH).name("vae").build());
        } else {
            list.layer(new AutoEncoder.Builder().nIn(N_IN).nOut(3).activation(Activation.SIGMOID).corruptionLevel(0)
                    .name("ae").build());
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(3).nOut(3)
                .activation(Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    private static ListDataSetIterator<DataSet> data() {
        List<DataSet> batches = new ArrayList<>();
        for (int i = 0; i < BATCHES; i++) {
            DataSet d = Nets.classification(100 + i, BATCH, N_IN, 3);
            // in [0, 1]: the AutoEncoder's default reconstruction is against the sigmoid-scaled input
            batches.add(new DataSet(d.getFeatures().castTo(DataType.DOUBLE).addi(1).divi(2),
                    d.getLabels().castTo(DataType.DOUBLE)));
        }
        return new ListDataSetIterator<>(batches, 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"vae", "ae"})
    void pretrainingStepsAreReportedPerLayerWithExactStatisticsAndTheirOwnDetectorState(String kind) {
        MultiLayerNetwork net = net(kind);
        String layerName = kind;
        GradientMonitor monitor = GradientMonitor.builder().logAlerts(false)
                .detectors(DetectorSuite.builder().add(new OneKindPerSession()).build()).build();
        LayerOracle oracle = new LayerOracle();
        net.setListeners(monitor, oracle);

        net.pretrain(data());
        List<GradientSnapshot> pretraining = monitor.history();
        assertThat(pretraining).hasSize(BATCHES).hasSize(oracle.steps.size());
        String pretrainWorker = pretraining.get(0).workerId();
        for (int i = 0; i < BATCHES; i++) {
            GradientSnapshot s = pretraining.get(i);
            OracleStep expected = oracle.steps.get(i);
            assertThat(s.pretrainedLayer()).contains(layerName);
            assertThat(s.isPretraining()).isTrue();
            assertThat(s.workerId()).isEqualTo(pretrainWorker);
            assertThat(s.iteration()).isEqualTo(expected.iteration());
            assertThat(s.batchSize()).isEqualTo(BATCH);
            assertThat(s.score()).isEqualTo(expected.score());
            assertThat(s.layers()).hasSize(1);
            LayerGradientStats layer = s.layers().get(0);
            assertThat(layer.name()).isEqualTo(layerName);
            assertThat(layer.index()).isZero();
            // every parameter of the layer, a VAE's decoder too: pretraining trains it
            assertThat(layer.params().keySet()).containsExactlyInAnyOrderElementsOf(expected.before().keySet());
            layer.params().forEach((key, stats) -> SgdOracle.checkParam(stats, expected.before().get(key),
                    expected.after().get(key), LR, 1e-6));
        }

        net.fit(data());
        List<GradientSnapshot> supervised = monitor.history().subList(BATCHES, monitor.history().size());
        assertThat(supervised).hasSize(BATCHES).allSatisfy(s -> {
            assertThat(s.pretrainedLayer()).isEmpty();
            assertThat(s.workerId()).isNotEqualTo(pretrainWorker);
            assertThat(s.layers()).extracting(LayerGradientStats::index).containsExactly(0, 1);
            assertThat(s.globalGradientNorm()).isPositive().isFinite();
        });
        assertThat(supervised).extracting(GradientSnapshot::iteration).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(monitor.alerts()).as("a detector session saw pretraining and supervised steps").isEmpty();
        assertThat(monitor.faultCount()).isZero();
    }

    @Test
    void aPoisonedPretrainingStepIsSkippedWithTheLayersParametersAndUpdaterStateRestored() {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(7)
                .dataType(DataType.DOUBLE).updater(new Adam(1e-2))
                .weightInit(WeightInit.XAVIER).list()
                .layer(new VariationalAutoencoder.Builder().nIn(N_IN).nOut(3).encoderLayerSizes(8)
                        .decoderLayerSizes(8).activation(Activation.TANH).name("vae").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(3).nOut(3)
                        .activation(Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        GradientMonitor monitor = GradientMonitor.builder().logAlerts(false).skipNonFiniteSteps(true).build();
        StateOracle oracle = new StateOracle();
        net.setListeners(monitor, oracle);
        List<DataSet> batches = new ArrayList<>();
        data().forEachRemaining(batches::add);
        batches.get(2).getFeatures().putScalar(0, 0, Double.NaN);

        net.pretrain(new ListDataSetIterator<>(batches, 1));

        assertThat(monitor.alerts()).extracting(GradientAlert::type)
                .containsExactly(AlertType.STEP_SKIPPED, AlertType.NON_FINITE); // the detectors judge it too
        assertThat(oracle.steps).hasSize(BATCHES);
        for (int i = 0; i < BATCHES; i++) {
            StateStep step = oracle.steps.get(i);
            boolean applied = i != 2;
            assertThat(Arrays.equals(step.paramsAfter(), step.paramsBefore()))
                    .as("step %s: parameters %s", i, applied ? "moved" : "restored bit for bit").isEqualTo(!applied);
            assertThat(Arrays.equals(step.stateAfter(), step.stateBefore()))
                    .as("step %s: Adam state %s", i, applied ? "moved" : "restored bit for bit").isEqualTo(!applied);
        }
        Layer vae = net.getLayer(0);
        assertThat(vae.params().isNaN().any()).isFalse();
        assertThat(monitor.faultCount()).isZero();
    }

    @Test
    void continueOnRefusesALayer() {
        MultiLayerNetwork net = net("vae");
        assertThatThrownBy(() -> GradientMonitor.builder().build()
                        .continueOn(net.getLayer(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("continueOn needs a MultiLayerNetwork or ComputationGraph");
    }

    record StateStep(double[] paramsBefore, double[] paramsAfter, double[] stateBefore, double[] stateAfter) {
    }

    /** The layer's flat parameters and its own updater's state, before and after each pretraining step. */
    static final class StateOracle extends BaseTrainingListener {
        final List<StateStep> steps = new ArrayList<>();
        private double[] params;
        private double[] state;

        private static double[] state(Layer layer) {
            INDArray s = layer.getOptimizer().getUpdater().getStateViewArray();
            return s.castTo(DataType.DOUBLE).dup().toDoubleVector();
        }

        @Override
        public void onGradientCalculation(Model model) {
            if (model instanceof Layer layer) {
                params = layer.params().castTo(DataType.DOUBLE).dup().toDoubleVector();
                state = state(layer);
            }
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            if (model instanceof Layer layer) {
                steps.add(new StateStep(params, layer.params().castTo(DataType.DOUBLE).dup().toDoubleVector(), state,
                        state(layer)));
            }
        }
    }

    record OracleStep(long iteration, double score, Map<String, INDArray> before, Map<String, INDArray> after) {
    }

    /** The layer's own parameter views in double, before and after each pretraining step. */
    static final class LayerOracle extends BaseTrainingListener {
        final List<OracleStep> steps = new ArrayList<>();
        private Map<String, INDArray> before;
        private double score;

        @Override
        public void onGradientCalculation(Model model) {
            if (model instanceof Layer layer) {
                before = Nets.paramCopies(layer.paramTable());
                score = layer.score();
            }
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            if (model instanceof Layer layer) {
                steps.add(new OracleStep(iteration, score, before, Nets.paramCopies(layer.paramTable())));
            }
        }
    }

    /** Raises an alert when one session sees both pretraining and supervised steps. */
    static final class OneKindPerSession implements Detector {
        @Override
        public AlertType type() {
            return AlertType.STALLED;
        }

        @Override
        public Session newSession() {
            Map<String, Boolean> kind = new HashMap<>();
            return s -> {
                Boolean first = kind.putIfAbsent("kind", s.isPretraining());
                return first == null || first == s.isPretraining() ? List.of()
                        : List.of(new GradientAlert(AlertType.STALLED, Severity.WARNING, s.workerId(), s.iteration(),
                        GradientAlert.MODEL, Optional.empty(), 1, 0, "mixed", "none"));
            };
        }
    }
}
