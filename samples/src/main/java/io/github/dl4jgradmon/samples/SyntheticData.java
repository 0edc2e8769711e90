package io.github.dl4jgradmon.samples;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/** Learnable synthetic data, made in memory from a seed: nothing is downloaded. */
public final class SyntheticData {

    private SyntheticData() {
    }

    /**
     * Gaussian features; the label is the arg-max of a fixed random linear map, so a network can learn it.
     *
     * @return {@code batches} minibatches of {@code batchSize} examples
     */
    public static List<DataSet> classification(long seed, int batches, int batchSize, int nIn, int classes) {
        Nd4j.getRandom().setSeed(seed);
        INDArray teacher = Nd4j.randn(DataType.FLOAT, nIn, classes);
        List<DataSet> out = new ArrayList<>(batches);
        for (int b = 0; b < batches; b++) {
            INDArray x = Nd4j.randn(DataType.FLOAT, batchSize, nIn);
            INDArray scores = x.mmul(teacher);
            INDArray y = Nd4j.zeros(DataType.FLOAT, batchSize, classes);
            for (int i = 0; i < batchSize; i++) {
                y.putScalar(i, scores.getRow(i).argMax().getInt(0), 1.0);
            }
            out.add(new DataSet(x, y));
        }
        return out;
    }
}
