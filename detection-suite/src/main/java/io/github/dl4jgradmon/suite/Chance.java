package io.github.dl4jgradmon.suite;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.List;

/**
 * The loss of a model that has learnt nothing, computed from a case's training batches without the model: the
 * yardstick for "this healthy model learnt" (its final loss well below it).
 *
 * <pre>{@code
 * Chance.classes(4).loss(batches);       // ln 4: softmax cross-entropy of the uniform guess over 4 balanced classes
 * Chance.labelVariance().loss(batches);  // MSE of predicting each label's mean
 * }</pre>
 */
@FunctionalInterface
public interface Chance {

    /** No meaningful chance level (e.g. an object-detection loss): judged by the fall from the starting loss. */
    Chance NONE = batches -> Double.NaN;

    double loss(List<?> batches);

    /**
     * Softmax cross-entropy of the uniform guess, summed over outputs with {@code k[i]} classes each: sum of ln k.
     * (The uniform guess is the best label-blind guess when the classes are balanced, as in the synthetic data.)
     */
    static Chance classes(int... k) {
        double sum = 0;
        for (int n : k) {
            sum += Math.log(n);
        }
        double value = sum;
        return batches -> value;
    }

    /**
     * Per-step softmax cross-entropy of the uniform guess for a sequence output: DL4J's RnnOutputLayer score sums
     * over the {@code steps} time steps of a sequence (of a truncated-BPTT segment), so the chance level is
     * steps * ln k.
     */
    static Chance perStep(int k, int steps) {
        double value = steps * Math.log(k);
        return batches -> value;
    }

    /**
     * DL4J's MSE (mean over the label columns, averaged over examples) of predicting each label column's mean over
     * all the batches: the mean variance of the label columns. For single-output {@link DataSet} batches with rank-2
     * labels.
     */
    static Chance labelVariance() {
        return batches -> {
            double[] sum = null;
            double[] sumSq = null;
            long n = 0;
            for (Object o : batches) {
                INDArray y = ((DataSet) o).getLabels();
                float[][] rows = y.toFloatMatrix();
                if (sum == null) {
                    sum = new double[rows[0].length];
                    sumSq = new double[rows[0].length];
                }
                for (float[] row : rows) {
                    for (int j = 0; j < row.length; j++) {
                        sum[j] += row[j];
                        sumSq[j] += (double) row[j] * row[j];
                    }
                }
                n += rows.length;
            }
            double total = 0;
            for (int j = 0; j < sum.length; j++) {
                double mean = sum[j] / n;
                total += sumSq[j] / n - mean * mean;
            }
            return total / sum.length;
        };
    }
}
