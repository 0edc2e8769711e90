package io.github.dl4jgradmon.suite;

import io.github.dl4jgradmon.cli.SyntheticData;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The corpus's data sets, shaped for each task (vectors, images, segmentation, detection, characters, control charts,
 * tokens, ...), generated in code from a seed (nothing downloaded): every task has a rule a model can learn, so a
 * healthy model's loss must fall well below its chance level. Built on the one generator, {@link SyntheticData}
 * ({@link java.util.Random}, not ND4J's global generator), so a case's data does not depend on what ran before.
 *
 * <pre>{@code
 * List<DataSet> batches = CorpusData.images(1, 11, 16, 3, 32, 32, 4, false);
 * }</pre>
 */
public final class CorpusData {

    private CorpusData() {
    }

    /**
     * Feature vectors x = offset + scale * N(0, 1) per column, labels from a fixed random linear map: the one
     * generator's {@link SyntheticData#classification(long, int, int, int, int, double[], double[])}.
     *
     * @param scale  per-column scale (length nIn), or a single value for all
     * @param offset per-column offset (length nIn), or a single value for all
     */
    public static List<DataSet> vectors(long seed, int batches, int batch, int nIn, int classes, double[] scale,
                                        double[] offset) {
        return SyntheticData.classification(seed, batches, batch, nIn, classes, scale, offset);
    }

    /** {@link #vectors} with standard-normal features. */
    public static List<DataSet> vectors(long seed, int batches, int batch, int nIn, int classes) {
        return vectors(seed, batches, batch, nIn, classes, new double[] {1}, new double[] {0});
    }

    /**
     * Images [n, channels, h, w] (or flattened [n, channels*h*w] with {@code flat}) with values in [lo, hi]: a dim
     * noisy background and a bright rectangle whose place, size and colour mix depend on the class (fixed per class,
     * jittered by a pixel or two per example).
     */
    public static List<DataSet> images(long seed, int batches, int batch, int channels, int h, int w, int classes,
                                       boolean flat, double lo, double hi) {
        Random r = new Random(seed);
        int[][] box = new int[classes][4];
        double[][] colour = new double[classes][channels];
        for (int c = 0; c < classes; c++) {
            int bh = Math.max(2, h / 3 + r.nextInt(Math.max(1, h / 4)));
            int bw = Math.max(2, w / 3 + r.nextInt(Math.max(1, w / 4)));
            box[c] = new int[] {r.nextInt(h - bh + 1), r.nextInt(w - bw + 1), bh, bw};
            for (int ch = 0; ch < channels; ch++) {
                colour[c][ch] = 0.5 + 0.5 * r.nextDouble();
            }
        }
        List<DataSet> out = new ArrayList<>(batches);
        for (int b = 0; b < batches; b++) {
            float[] x = new float[batch * channels * h * w];
            float[][] y = new float[batch][classes];
            for (int i = 0; i < batch; i++) {
                int c = (i + b * batch) % classes;
                y[i][c] = 1f;
                int dy = r.nextInt(3) - 1;
                int dx = r.nextInt(3) - 1;
                for (int ch = 0; ch < channels; ch++) {
                    for (int py = 0; py < h; py++) {
                        for (int px = 0; px < w; px++) {
                            boolean in = py >= box[c][0] + dy && py < box[c][0] + dy + box[c][2]
                                    && px >= box[c][1] + dx && px < box[c][1] + dx + box[c][3];
                            double v = (in ? colour[c][ch] : 0.1) + 0.15 * r.nextGaussian();
                            v = Math.max(0, Math.min(1, v));
                            x[((i * channels + ch) * h + py) * w + px] = (float) (lo + (hi - lo) * v);
                        }
                    }
                }
            }
            INDArray features = Nd4j.create(x, flat ? new long[] {batch, (long) channels * h * w}
                    : new long[] {batch, channels, h, w}, 'c');
            out.add(new DataSet(features, Nd4j.create(y)));
        }
        return out;
    }

    /**
     * Segmentation: images [n, channels, h, w] in [0, 1] with one brighter random rectangle; the label [n, 1, h, w]
     * is 1 inside it.
     */
    public static List<DataSet> segmentation(long seed, int batches, int batch, int channels, int h, int w) {
        Random r = new Random(seed);
        List<DataSet> out = new ArrayList<>(batches);
        for (int b = 0; b < batches; b++) {
            float[] x = new float[batch * channels * h * w];
            float[] y = new float[batch * h * w];
            for (int i = 0; i < batch; i++) {
                int bh = h / 4 + r.nextInt(h / 3);
                int bw = w / 4 + r.nextInt(w / 3);
                int y0 = r.nextInt(h - bh);
                int x0 = r.nextInt(w - bw);
                for (int py = 0; py < h; py++) {
                    for (int px = 0; px < w; px++) {
                        boolean in = py >= y0 && py < y0 + bh && px >= x0 && px < x0 + bw;
                        y[(i * h + py) * w + px] = in ? 1f : 0f;
                        for (int ch = 0; ch < channels; ch++) {
                            double v = (in ? 0.7 : 0.3) + 0.15 * r.nextGaussian();
                            x[((i * channels + ch) * h + py) * w + px] = (float) Math.max(0, Math.min(1, v));
                        }
                    }
                }
            }
            out.add(new DataSet(Nd4j.create(x, new long[] {batch, channels, h, w}, 'c'),
                    Nd4j.create(y, new long[] {batch, 1, h, w}, 'c')));
        }
        return out;
    }

    /**
     * Object detection in DL4J's YOLO2 label format: images [n, channels, h, w] in [0, 1] holding one rectangle each,
     * bright in the channel of its class; labels [n, 4 + classes, grid, grid] with the box corners (in grid units)
     * and the one-hot class at the grid cell of the box centre, zero elsewhere.
     */
    public static List<DataSet> detection(long seed, int batches, int batch, int channels, int h, int w, int grid,
                                          int classes) {
        Random r = new Random(seed);
        List<DataSet> out = new ArrayList<>(batches);
        double cell = (double) h / grid;
        for (int b = 0; b < batches; b++) {
            float[] x = new float[batch * channels * h * w];
            float[] y = new float[batch * (4 + classes) * grid * grid];
            for (int i = 0; i < batch; i++) {
                int c = r.nextInt(classes);
                int bh = (int) (cell * (0.8 + r.nextDouble()));
                int bw = (int) (cell * (0.8 + r.nextDouble()));
                int y0 = r.nextInt(h - bh);
                int x0 = r.nextInt(w - bw);
                for (int ch = 0; ch < channels; ch++) {
                    for (int py = 0; py < h; py++) {
                        for (int px = 0; px < w; px++) {
                            boolean in = py >= y0 && py < y0 + bh && px >= x0 && px < x0 + bw;
                            double v = (in && ch % classes == c ? 0.9 : 0.1) + 0.1 * r.nextGaussian();
                            x[((i * channels + ch) * h + py) * w + px] = (float) Math.max(0, Math.min(1, v));
                        }
                    }
                }
                int gy = (int) ((y0 + bh / 2.0) / cell);
                int gx = (int) ((x0 + bw / 2.0) / cell);
                double[] corners = {x0 / cell, y0 / cell, (x0 + bw) / cell, (y0 + bh) / cell};
                for (int k = 0; k < 4; k++) {
                    y[((i * (4 + classes) + k) * grid + gy) * grid + gx] = (float) corners[k];
                }
                y[((i * (4 + classes) + 4 + c) * grid + gy) * grid + gx] = 1f;
            }
            out.add(new DataSet(Nd4j.create(x, new long[] {batch, channels, h, w}, 'c'),
                    Nd4j.create(y, new long[] {batch, 4 + classes, grid, grid}, 'c')));
        }
        return out;
    }

    /**
     * Character modelling: one-hot sequences [n, vocab, length] drawn from a fixed Markov chain in which every
     * character has two equally likely successors; the label at step t is the character at t + 1. The best possible
     * loss is ln 2 (against ln vocab for a model that learnt nothing).
     */
    public static List<DataSet> characters(long seed, int batches, int batch, int length, int vocab) {
        Random r = new Random(seed);
        int[][] next = new int[vocab][2];
        for (int v = 0; v < vocab; v++) {
            next[v][0] = r.nextInt(vocab);
            next[v][1] = r.nextInt(vocab);
        }
        List<DataSet> out = new ArrayList<>(batches);
        for (int b = 0; b < batches; b++) {
            float[] x = new float[batch * vocab * length];
            float[] y = new float[batch * vocab * length];
            for (int i = 0; i < batch; i++) {
                int c = r.nextInt(vocab);
                for (int t = 0; t < length; t++) {
                    int n = next[c][r.nextInt(2)];
                    x[(i * vocab + c) * length + t] = 1f;
                    y[(i * vocab + n) * length + t] = 1f;
                    c = n;
                }
            }
            out.add(new DataSet(Nd4j.create(x, new long[] {batch, vocab, length}, 'c'),
                    Nd4j.create(y, new long[] {batch, vocab, length}, 'c')));
        }
        return out;
    }

    /**
     * Synthetic control charts (the generator behind the UCI "synthetic_control" set that DL4J's UCI sequence
     * example downloads): 6 classes (normal, cyclic, increasing trend, decreasing trend, upward shift, downward
     * shift) of {@code steps}-long univariate series, standardized like the example's {@code NormalizerStandardize};
     * features [n, 1, steps], the label one-hot at the last step only (the example's ALIGN_END), masked elsewhere.
     */
    public static List<DataSet> controlCharts(long seed, int batches, int batch, int steps) {
        Random r = new Random(seed);
        int classes = 6;
        List<DataSet> out = new ArrayList<>(batches);
        for (int b = 0; b < batches; b++) {
            float[] x = new float[batch * steps];
            float[] y = new float[batch * classes * steps];
            float[] mask = new float[batch * steps];
            for (int i = 0; i < batch; i++) {
                int c = (i + b * batch) % classes;
                double a = 10 + 5 * r.nextDouble();
                double period = 10 + 5 * r.nextDouble();
                double g = 0.2 + 0.3 * r.nextDouble();
                double k = 7.5 + 12.5 * r.nextDouble();
                int t3 = steps / 3 + r.nextInt(steps / 3);
                for (int t = 0; t < steps; t++) {
                    double v = 30 + 2 * (2 * r.nextDouble() - 1) * 3;
                    switch (c) {
                        case 1 -> v += a * Math.sin(2 * Math.PI * t / period);
                        case 2 -> v += g * t;
                        case 3 -> v -= g * t;
                        case 4 -> v += t >= t3 ? k : 0;
                        case 5 -> v -= t >= t3 ? k : 0;
                        default -> { }
                    }
                    x[i * steps + t] = (float) ((v - 30) / 8);
                }
                y[(i * classes + c) * steps + steps - 1] = 1f;
                mask[i * steps + steps - 1] = 1f;
            }
            out.add(new DataSet(Nd4j.create(x, new long[] {batch, 1, steps}, 'c'),
                    Nd4j.create(y, new long[] {batch, classes, steps}, 'c'), null,
                    Nd4j.create(mask, new long[] {batch, steps}, 'c')));
        }
        return out;
    }

    /**
     * Token sequences for an embedding: inputs [n, 1, length] of token ids in [0, tokens); the label at step t is
     * (token at t - 1) mod classes (token 0 at t = 0), so the recurrent state must carry one token.
     */
    public static List<DataSet> tokens(long seed, int batches, int batch, int length, int tokens, int classes) {
        Random r = new Random(seed);
        List<DataSet> out = new ArrayList<>(batches);
        for (int b = 0; b < batches; b++) {
            float[] x = new float[batch * length];
            float[] y = new float[batch * classes * length];
            for (int i = 0; i < batch; i++) {
                int previous = 0;
                for (int t = 0; t < length; t++) {
                    int tok = r.nextInt(tokens);
                    x[i * length + t] = tok;
                    y[(i * classes + previous % classes) * length + t] = 1f;
                    previous = tok;
                }
            }
            out.add(new DataSet(Nd4j.create(x, new long[] {batch, 1, length}, 'c'),
                    Nd4j.create(y, new long[] {batch, classes, length}, 'c')));
        }
        return out;
    }

    /**
     * Reconstruction data for an autoencoder: x = sigmoid(z A) in (0, 1), z ~ N(0, 1) of dimension {@code rank}, a
     * fixed A ~ N(0, 1.5^2): {@code dim}-wide vectors on a {@code rank}-dimensional surface; labels = features.
     */
    public static List<DataSet> lowRank(long seed, int batches, int batch, int dim, int rank) {
        Random r = new Random(seed);
        double[][] a = SyntheticData.gaussian(r, rank, dim, 1.5);
        List<DataSet> out = new ArrayList<>(batches);
        for (int b = 0; b < batches; b++) {
            float[][] x = new float[batch][dim];
            for (int i = 0; i < batch; i++) {
                double[] z = new double[rank];
                for (int j = 0; j < rank; j++) {
                    z[j] = r.nextGaussian();
                }
                double[] v = SyntheticData.multiply(z, a);
                for (int j = 0; j < dim; j++) {
                    x[i][j] = (float) (1 / (1 + Math.exp(-v[j])));
                }
            }
            INDArray f = Nd4j.create(x);
            out.add(new DataSet(f, f.dup()));
        }
        return out;
    }

    /**
     * Two inputs ([n, nIn1], [n, nIn2], standard normal) and one label: the arg-max of fixed random linear maps of
     * both, so neither input alone suffices.
     */
    public static List<MultiDataSet> twoInputs(long seed, int batches, int batch, int nIn1, int nIn2, int classes) {
        Random r = new Random(seed);
        double[][] t1 = SyntheticData.gaussian(r, nIn1, classes, 1.0);
        double[][] t2 = SyntheticData.gaussian(r, nIn2, classes, 1.0);
        List<MultiDataSet> out = new ArrayList<>(batches);
        for (int b = 0; b < batches; b++) {
            float[][] x1 = new float[batch][nIn1];
            float[][] x2 = new float[batch][nIn2];
            float[][] y = new float[batch][classes];
            for (int i = 0; i < batch; i++) {
                double[] z1 = new double[nIn1];
                double[] z2 = new double[nIn2];
                for (int j = 0; j < nIn1; j++) {
                    z1[j] = r.nextGaussian();
                    x1[i][j] = (float) z1[j];
                }
                for (int j = 0; j < nIn2; j++) {
                    z2[j] = r.nextGaussian();
                    x2[i][j] = (float) z2[j];
                }
                double[] s1 = SyntheticData.multiply(z1, t1);
                double[] s2 = SyntheticData.multiply(z2, t2);
                for (int k = 0; k < classes; k++) {
                    s1[k] += s2[k];
                }
                y[i][SyntheticData.argMax(s1)] = 1f;
            }
            out.add(new MultiDataSet(new INDArray[] {Nd4j.create(x1), Nd4j.create(x2)},
                    new INDArray[] {Nd4j.create(y)}));
        }
        return out;
    }

    /**
     * One input [n, nIn] and two labels: a class (arg-max of a linear map) and {@code targets} regression targets
     * (tanh of other linear maps, scaled by 1/sqrt(nIn) inside).
     */
    public static List<MultiDataSet> twoTasks(long seed, int batches, int batch, int nIn, int classes, int targets) {
        Random r = new Random(seed);
        double[][] t = SyntheticData.gaussian(r, nIn, classes, 1.0);
        double[][] u = SyntheticData.gaussian(r, nIn, targets, 1.0 / Math.sqrt(nIn));
        List<MultiDataSet> out = new ArrayList<>(batches);
        for (int b = 0; b < batches; b++) {
            float[][] x = new float[batch][nIn];
            float[][] y = new float[batch][classes];
            float[][] v = new float[batch][targets];
            for (int i = 0; i < batch; i++) {
                double[] z = new double[nIn];
                for (int j = 0; j < nIn; j++) {
                    z[j] = r.nextGaussian();
                    x[i][j] = (float) z[j];
                }
                y[i][SyntheticData.argMax(SyntheticData.multiply(z, t))] = 1f;
                double[] reg = SyntheticData.multiply(z, u);
                for (int k = 0; k < targets; k++) {
                    v[i][k] = (float) Math.tanh(reg[k]);
                }
            }
            out.add(new MultiDataSet(new INDArray[] {Nd4j.create(x)},
                    new INDArray[] {Nd4j.create(y), Nd4j.create(v)}));
        }
        return out;
    }

    /**
     * The captcha shape of DL4J's MultiDigitNumberRecognition example: grey images [n, 1, h, slots * h] holding one
     * of {@code classes} fixed patterns in each of {@code slots} square slots; one one-hot label per slot.
     */
    public static List<MultiDataSet> slots(long seed, int batches, int batch, int h, int slots, int classes) {
        Random r = new Random(seed);
        int w = slots * h;
        float[][][] pattern = new float[classes][h][h];
        for (int c = 0; c < classes; c++) {
            for (int py = 0; py < h; py++) {
                for (int px = 0; px < h; px++) {
                    pattern[c][py][px] = r.nextDouble() < 0.35 ? 1f : 0f;
                }
            }
        }
        List<MultiDataSet> out = new ArrayList<>(batches);
        for (int b = 0; b < batches; b++) {
            float[] x = new float[batch * h * w];
            INDArray[] labels = new INDArray[slots];
            float[][][] y = new float[slots][batch][classes];
            for (int i = 0; i < batch; i++) {
                for (int s = 0; s < slots; s++) {
                    int c = r.nextInt(classes);
                    y[s][i][c] = 1f;
                    for (int py = 0; py < h; py++) {
                        for (int px = 0; px < h; px++) {
                            double v = pattern[c][py][px] * 0.8 + 0.1 + 0.1 * r.nextGaussian();
                            x[(i * h + py) * w + s * h + px] = (float) Math.max(0, Math.min(1, v));
                        }
                    }
                }
            }
            for (int s = 0; s < slots; s++) {
                labels[s] = Nd4j.create(y[s]);
            }
            out.add(new MultiDataSet(new INDArray[] {Nd4j.create(x, new long[] {batch, 1, h, w}, 'c')}, labels));
        }
        return out;
    }

    /**
     * Gaussian blobs: one centre per class drawn from N(0, 1) per feature, examples at centre + {@code spread} *
     * N(0, 1), classes drawn uniformly per example. With a spread near 1 the blobs overlap a little: a net converges
     * to a small loss and a minibatch now and then holds a few examples on the wrong side.
     */
    public static List<DataSet> blobs(long seed, int batches, int batch, int nIn, int classes, double spread) {
        Random r = new Random(seed);
        double[][] centres = SyntheticData.gaussian(r, classes, nIn, 1.0);
        List<DataSet> out = new ArrayList<>(batches);
        for (int b = 0; b < batches; b++) {
            float[][] x = new float[batch][nIn];
            float[][] y = new float[batch][classes];
            for (int i = 0; i < batch; i++) {
                int k = r.nextInt(classes);
                for (int j = 0; j < nIn; j++) {
                    x[i][j] = (float) (centres[k][j] + spread * r.nextGaussian());
                }
                y[i][k] = 1f;
            }
            out.add(new DataSet(Nd4j.create(x), Nd4j.create(y)));
        }
        return out;
    }

    /**
     * Sequences [n, classes, steps] whose only signal is at the first step: a one-hot of the class there, N(0, noise)
     * on every channel at the other steps; one-hot labels [n, classes] for the sequence. A recurrent net must carry
     * the first step across all the others.
     */
    public static List<DataSet> firstStepSignal(long seed, int batches, int batch, int steps, int classes,
                                                double noise) {
        return signalAt(seed, batches, batch, steps, classes, noise, 0);
    }

    /**
     * As {@link #firstStepSignal}, with the one-hot of the class at step {@code at} instead of the first (the same
     * draws for {@code at = 0}).
     */
    public static List<DataSet> signalAt(long seed, int batches, int batch, int steps, int classes, double noise,
                                         int at) {
        Random r = new Random(seed);
        List<DataSet> out = new ArrayList<>(batches);
        for (int b = 0; b < batches; b++) {
            INDArray x = Nd4j.zeros(DataType.FLOAT, batch, classes, steps);
            INDArray y = Nd4j.zeros(DataType.FLOAT, batch, classes);
            for (int i = 0; i < batch; i++) {
                int k = r.nextInt(classes);
                x.putScalar(new long[] {i, k, at}, 1.0);
                for (int t = 0; t < steps; t++) {
                    if (t == at) {
                        continue;
                    }
                    for (int c = 0; c < classes; c++) {
                        x.putScalar(new long[] {i, c, t}, noise * r.nextGaussian());
                    }
                }
                y.putScalar(i, k, 1.0);
            }
            out.add(new DataSet(x, y));
        }
        return out;
    }

    /**
     * One batch of features uniform in [-0.5, 0.5) with balanced labels unrelated to them (example i has class
     * i mod classes): learnable only by memorizing.
     */
    public static DataSet randomLabels(long seed, int batch, int nIn, int classes) {
        Random r = new Random(seed);
        float[][] x = new float[batch][nIn];
        float[][] y = new float[batch][classes];
        for (int i = 0; i < batch; i++) {
            for (int j = 0; j < nIn; j++) {
                x[i][j] = (float) (r.nextDouble() - 0.5);
            }
            y[i][i % classes] = 1f;
        }
        return new DataSet(Nd4j.create(x), Nd4j.create(y));
    }

    // --- helpers -----------------------------------------------------------------------------------------------------





    static INDArray floats(float[][] rows) {
        return Nd4j.create(rows).castTo(DataType.FLOAT);
    }
}
