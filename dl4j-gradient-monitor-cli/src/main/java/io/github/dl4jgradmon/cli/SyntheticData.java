package io.github.dl4jgradmon.cli;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seeded, learnable synthetic data, made in memory (nothing downloaded): Gaussian features, and targets from a fixed
 * random linear map of them (a "teacher"), so a healthy model's loss falls well below its chance level. Drawn with
 * {@link Random} from the seed, not ND4J's global generator, so the data do not depend on what ran before or on the
 * backend. The one generator behind {@code gradmon check}'s synthetic minibatches, the samples and the detection
 * corpus.
 *
 * <pre>{@code
 * List<DataSet> batches = SyntheticData.classification(42, 20, 32, 20, 4);   // 20 minibatches of 32, 20 -> 4 classes
 * }</pre>
 */
public final class SyntheticData {

    private SyntheticData() {
    }

    /** {@link #classification(long, int, int, int, int, double[], double[])} with standard-normal features. */
    public static List<DataSet> classification(long seed, int batches, int batch, int nIn, int classes) {
        return classification(seed, batches, batch, nIn, classes, new double[] {1}, new double[] {0});
    }

    /**
     * Feature vectors {@code x = offset + scale * z}, {@code z ~ N(0, 1)} per column; the one-hot label is the arg-max
     * of a fixed random linear map of {@code z} (balanced classes, learnable by a linear model).
     *
     * @param scale  per-column scale (length {@code nIn}), or a single value for all
     * @param offset per-column offset (length {@code nIn}), or a single value for all
     * @return {@code batches} minibatches of {@code batch} examples
     */
    public static List<DataSet> classification(long seed, int batches, int batch, int nIn, int classes,
                                               double[] scale, double[] offset) {
        Random r = new Random(seed);
        double[][] teacher = gaussian(r, nIn, classes, 1.0);
        List<DataSet> out = new ArrayList<>(batches);
        for (int b = 0; b < batches; b++) {
            float[][] x = new float[batch][nIn];
            float[][] y = new float[batch][classes];
            for (int i = 0; i < batch; i++) {
                double[] z = new double[nIn];
                for (int j = 0; j < nIn; j++) {
                    z[j] = r.nextGaussian();
                    x[i][j] = (float) (pick(offset, j) + pick(scale, j) * z[j]);
                }
                y[i][argMax(multiply(z, teacher))] = 1f;
            }
            out.add(new DataSet(Nd4j.create(x), Nd4j.create(y)));
        }
        return out;
    }

    /** A {@code rows x cols} matrix of {@code N(0, sd^2)} draws. */
    public static double[][] gaussian(Random r, int rows, int cols, double sd) {
        double[][] m = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                m[i][j] = sd * r.nextGaussian();
            }
        }
        return m;
    }

    /** A FLOAT array of this shape ('c' order) of {@code N(0, sd^2)} draws. */
    public static INDArray gaussian(Random r, long[] shape, double sd) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds more than "
                    + Integer.MAX_VALUE + " values");
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (sd * r.nextGaussian());
        }
        return Nd4j.create(v, shape, 'c');
    }

    /** The row vector {@code z} times the matrix {@code m}. */
    public static double[] multiply(double[] z, double[][] m) {
        double[] out = new double[m[0].length];
        for (int i = 0; i < z.length; i++) {
            for (int j = 0; j < out.length; j++) {
                out[j] += z[i] * m[i][j];
            }
        }
        return out;
    }

    /** The index of the largest value (the first, on ties). */
    public static int argMax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    private static double pick(double[] values, int j) {
        return values.length == 1 ? values[0] : values[j];
    }
}
