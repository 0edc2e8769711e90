package io.github.dl4jgradmon.cli.check;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The example configurations under {@code dl4j-gradient-monitor-cli/src/main/resources/check/} (the distribution's
 * {@code examples/}), as code. Regenerate the files with {@code gradmon check-examples DIR}.
 */
public final class ExampleConfigs {

    private ExampleConfigs() {
    }

    /** 12 sigmoid layers of 32 units, Xavier, SGD(0.1), 20 inputs, 4-class softmax: its early layers vanish. */
    public static MultiLayerConfiguration deepSigmoid() {
        return mlp(12, Activation.SIGMOID, WeightInit.XAVIER, new NeuralNetConfiguration.Builder().seed(7)
                .updater(new Sgd(0.1)));
    }

    /** 4 ReLU layers of 32 units, He init, Adam(1e-3), 20 inputs, 4-class softmax: healthy. */
    public static MultiLayerConfiguration reluHeAdam() {
        return mlp(4, Activation.RELU, WeightInit.RELU, new NeuralNetConfiguration.Builder().seed(7)
                .updater(new Adam(1e-3)));
    }

    /**
     * A configuration with the usual slips, for the lint: ReLU layers with the builder's Xavier init, one layer whose
     * activation was never set (it gets DL4J's default, sigmoid), and Adam at 0.5.
     */
    public static MultiLayerConfiguration careless() {
        return new NeuralNetConfiguration.Builder().seed(7).updater(new Adam(0.5)).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nOut(64).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(64).build())
                .layer(new DenseLayer.Builder().nOut(64).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(4)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(20)).build();
    }

    /** A residual ComputationGraph: 4 ReLU layers with skip connections, He init, Adam(1e-3): healthy. */
    public static ComputationGraphConfiguration residualGraph() {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder().seed(7)
                .updater(new Adam(1e-3)).weightInit(WeightInit.RELU).graphBuilder()
                .addInputs("in").setInputTypes(InputType.feedForward(20))
                .addLayer("dense0", new DenseLayer.Builder().nOut(32).activation(Activation.RELU).build(), "in");
        String previous = "dense0";
        for (int i = 1; i < 4; i++) {
            g.addLayer("dense" + i, new DenseLayer.Builder().nOut(32).activation(Activation.RELU).build(), previous);
            g.addVertex("add" + i, new ElementWiseVertex(ElementWiseVertex.Op.Add), previous, "dense" + i);
            previous = "add" + i;
        }
        return g.addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(4)
                .activation(Activation.SOFTMAX).build(), previous).setOutputs("out").build();
    }

    private static MultiLayerConfiguration mlp(int hidden, Activation activation, WeightInit init,
                                               NeuralNetConfiguration.Builder base) {
        NeuralNetConfiguration.ListBuilder list = base.weightInit(init).list();
        for (int i = 0; i < hidden; i++) {
            list.layer(new DenseLayer.Builder().nOut(32).activation(activation).build());
        }
        return list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(4)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(20)).build();
    }

    /** Writes the example files into {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length == 0 ? "dl4j-gradient-monitor-cli/src/main/resources/check" : args[0]);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("deep-sigmoid.json"), deepSigmoid().toJson());
        Files.writeString(dir.resolve("relu-he-adam.json"), reluHeAdam().toJson());
        Files.writeString(dir.resolve("residual-graph.json"), residualGraph().toJson());
        Files.writeString(dir.resolve("careless.json"), careless().toJson());
    }
}
