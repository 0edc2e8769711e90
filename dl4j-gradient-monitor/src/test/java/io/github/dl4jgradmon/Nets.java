package io.github.dl4jgradmon;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.HashMap;
import java.util.Map;

/** Small models and data for tests. */
final class Nets {

    private Nets() {
    }

    static MultiLayerNetwork mlp(IUpdater updater, DataType type, int... sizes) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(42).dataType(type).updater(updater).weightInit(WeightInit.XAVIER).list();
        for (int i = 0; i < sizes.length - 2; i++) {
            list.layer(new DenseLayer.Builder().nIn(sizes[i]).nOut(sizes[i + 1]).activation(Activation.TANH).build());
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                .nIn(sizes[sizes.length - 2]).nOut(sizes[sizes.length - 1]).build());
        MultiLayerConfiguration conf = list.build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static MultiLayerNetwork sgdMlp(int... sizes) {
        return mlp(new Sgd(0.1), DataType.FLOAT, sizes);
    }

    /** Random features and one-hot labels. */
    static DataSet classification(long seed, int batch, int nIn, int nOut) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, nIn).subi(0.5).muli(2);
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, nOut);
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, (i * 7 + seed) % nOut, 1.0);
        }
        return new DataSet(x, y);
    }

    /** Copies of every parameter array, keyed as in {@code paramTable()}. */
    static Map<String, INDArray> paramCopies(Map<String, INDArray> table) {
        Map<String, INDArray> out = new HashMap<>();
        table.forEach((k, v) -> out.put(k, v.castTo(DataType.DOUBLE).dup()));
        return out;
    }
}
