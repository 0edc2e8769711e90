package io.github.dl4jgradmon;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.samediff.SDVertexParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A ComputationGraph vertex whose parameters are not in a Layer (a user's SameDiffVertex): its parameters are read
 * from the places DL4J gave them, like any layer's.
 */
class SameDiffVertexLayoutTest {

    /** {@code tanh(in W + b)}, written as a SameDiff vertex. */
    static final class DenseVertex extends SameDiffVertex {
        private int nIn;
        private int nOut;

        DenseVertex() {
        }

        DenseVertex(int nIn, int nOut) {
            this.nIn = nIn;
            this.nOut = nOut;
        }

        @Override
        public SDVariable defineVertex(SameDiff sd, Map<String, SDVariable> in, Map<String, SDVariable> params,
                                       Map<String, SDVariable> masks) {
            return sd.nn().tanh(in.get("in").mmul(params.get("W")).add(params.get("b")));
        }

        @Override
        public void defineParametersAndInputs(SDVertexParams params) {
            params.defineInputs("in");
            params.addWeightParam("W", nIn, nOut);
            params.addBiasParam("b", 1, nOut);
        }

        @Override
        public void initializeParameters(Map<String, INDArray> params) {
            params.get("W").assign(Nd4j.rand(DataType.DOUBLE, nIn, nOut).subi(0.5));
            params.get("b").assign(0.1);
        }

        @Override
        public GraphVertex clone() {
            return new DenseVertex(nIn, nOut);
        }

        @Override
        public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
            return InputType.feedForward(nOut);
        }

        public int getNIn() {
            return nIn;
        }

        public int getNOut() {
            return nOut;
        }
    }

    @Test
    void sameDiffVertexParametersMatchDl4jsOwnArrays() {
        Nd4j.getRandom().setSeed(3);
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE)
                .updater(new Adam(0.01)).weightInit(WeightInit.XAVIER).graphBuilder()
                .addInputs("in")
                .addLayer("dense", new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.TANH).build(), "in")
                .addVertex("sd", new DenseVertex(6, 5), "dense")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "sd")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        GradientMonitor monitor = GradientMonitor.builder().build();
        ViewRecorder recorder = new ViewRecorder();
        graph.setListeners(monitor, recorder);
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, 4, 3);
        for (int i = 0; i < 4; i++) {
            labels.putScalar(i, i % 3, 1.0);
        }
        DataSet data = new DataSet(LayerRecipes.rand(4, 4), labels);
        graph.fit(data);
        graph.fit(data);

        assertThat(monitor.faultCount()).as("monitor faults").isZero();
        assertThat(monitor.latest().orElseThrow().layers()).extracting(l -> l.name()).containsExactly("dense", "sd",
                "out");
        EveryLayerTypeTest.assertMatchesDl4j("sameDiffVertex", monitor.latest().orElseThrow(), recorder, false);
    }
}
