package io.github.dl4jgradmon.suite;

import io.github.dl4jgradmon.alert.AlertType;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Cases met in use: a configuration whose diagnosis was wrong or missing, written down with its labeled outcome,
 * and the healthy models on which the monitor raised what it should not. Each description says what was reported.
 */
final class FieldCorpus {

    /** Iterations of the fixed-length healthy runs: long enough to see minibatch spikes after convergence. */
    static final int CONVERGED_ITERATIONS = 700;

    private FieldCorpus() {
    }

    static List<LabeledCase> problems() {
        return List.of(
                LabeledCase.problem("adam-lr1-relu-blowup-mlp", "MLN",
                        "Adam(1.0) on a 4-64-64-3 ReLU MLP (He init) on 3-class Gaussian blobs: the loss jumps "
                                + "from about 1.1 to above 10 within three steps, then settles near chance with most "
                                + "hidden units dead. Reported: VANISHING told a ReLU net to use ReLU, and DEAD_UNITS "
                                + "was lowered to INFO against a starting loss taken from the blow-up",
                        AlertType.DEAD_UNITS, 0, 300,
                        () -> mlp(4, 3, 2, 64, Activation.RELU, new Adam(1.0), false),
                        () -> CorpusData.blobs(601, 10, 32, 4, 3, 1.0)),
                LabeledCase.problem("iris-sorted-bn-relu-mlp", "MLN",
                        "4 blocks of Dense(16, ReLU) + BatchNormalization on the Iris data shipped with DL4J "
                                + "(iris.dat, 150 rows ordered by class) read in file order, batch 10, Adam(1e-2): "
                                + "every minibatch holds (nearly) one class, so each step undoes the last and the "
                                + "loss stays above chance (ln 3) with live gradients. Reported: HEALTHY",
                        AlertType.STALLED, 0, 1000,
                        () -> irisNet(new Adam(1e-2)),
                        () -> iris(10, false, 1)),
                LabeledCase.problem("lstm-signal-at-step-1-of-300", "MLN",
                        "LSTM(16, tanh) over 300 steps whose only signal is a one-hot of the class at the first "
                                + "step (noise N(0, 0.1) at the others), the last step's output classified "
                                + "(LastTimeStep + softmax), Adam(1e-3), batch 16: the gradient does not reach back "
                                + "300 steps, vanishing through time rather than through layers. Reported: only a "
                                + "generic STALLED. Now caught when STALLED's going-nowhere rule fires: the monitor "
                                + "probes the input gradient per time step and finds the first 30 steps' far below "
                                + "1e-3 of the last 30's, so the alert is VANISHING (through time) on the LSTM",
                        AlertType.VANISHING, 0, 300,
                        FieldCorpus::firstStepLstm,
                        () -> CorpusData.firstStepSignal(604, 8, 16, 300, 3, 0.1)),
                LabeledCase.problem("inputs-scaled-1e4-mlp", "MLN",
                        "a 20-32-32-4 ReLU MLP (Xavier, Sgd(0.01)) on features multiplied by 1e4: the first "
                                + "layer's gradient carries the input scale and is far larger than the others' from "
                                + "the first step; the steps overshoot and turn NaN. Reported: no hint to normalize "
                                + "the inputs",
                        AlertType.EXPLODING, 0, 60,
                        () -> mlp(20, 4, 2, 32, Activation.RELU, new Sgd(0.01), true),
                        () -> scaled(CorpusData.vectors(603, 10, 32, 20, 4), 1e4)));
    }

    static List<LabeledCase> healthy() {
        return List.of(
                LabeledCase.healthy("lstm-signal-at-step-291-of-300", "MLN",
                        "twin of lstm-signal-at-step-1-of-300: the same LSTM(16) and data, the class's one-hot at "
                                + "step 291 of 300 instead of the first, within reach of the last step's output: the "
                                + "loss falls while the gradient still vanishes far back in time, as in any healthy "
                                + "LSTM; the through-time probe must stay quiet",
                        400, Chance.classes(3),
                        FieldCorpus::firstStepLstm,
                        () -> CorpusData.signalAt(604, 8, 16, 300, 3, 0.1, 290)),
                LabeledCase.healthy("blob-converged-relu-mlp", "MLN",
                        "2-32-32-3 ReLU MLP, He init, Adam(1e-2), batch 16 on 3-class Gaussian blobs that overlap "
                                + "a little: converges near 0.02, and a minibatch now and then jumps 10x above the "
                                + "moving average while staying a tenth of the starting loss. Reported: LOSS_SPIKE "
                                + "WARNING",
                        CONVERGED_ITERATIONS, Chance.classes(3),
                        () -> mlp(2, 3, 2, 32, Activation.RELU, new Adam(1e-2), false),
                        () -> CorpusData.blobs(611, 40, 16, 2, 3, 0.5)),
                LabeledCase.healthy("blob-converged-tanh-mlp", "MLN",
                        "2-16-16-3 tanh MLP, Xavier, Nesterovs(0.05, 0.9), batch 16 on the same kind of blobs: "
                                + "converges near 0.1 with repeated minibatch spikes of about 10x the moving average. "
                                + "Reported: LOSS_SPIKE WARNING, 16 times",
                        CONVERGED_ITERATIONS, Chance.classes(3),
                        () -> mlp(2, 3, 2, 16, Activation.TANH, new Nesterovs(0.05, 0.9), true),
                        () -> CorpusData.blobs(612, 40, 16, 2, 3, 0.5)),
                LabeledCase.healthy("iris-shuffled-bn-relu-mlp", "MLN",
                        "iris-sorted-bn-relu-mlp's network on the same 150 rows shuffled every epoch (seeded), as "
                                + "DL4J's examples do, in minibatches of 32 (the check tool's default): learns to a "
                                + "small loss. With minibatches of 10 batch normalization's statistics are noisy "
                                + "enough for one minibatch to score 1.49, above chance, at iteration 904",
                        1000, Chance.classes(3),
                        () -> irisNet(new Adam(1e-2)),
                        () -> iris(32, true, 200)));
    }

    static MultiLayerNetwork mlp(int nIn, int classes, int hidden, int width, Activation activation, IUpdater updater,
                                 boolean xavier) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(7).updater(updater)
                .weightInit(xavier ? WeightInit.XAVIER : WeightInit.RELU).list();
        int in = nIn;
        for (int i = 0; i < hidden; i++) {
            list.layer(new DenseLayer.Builder().nIn(in).nOut(width).activation(activation).build());
            in = width;
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(in).nOut(classes)
                .activation(Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    /** LSTM(16) over the sequence, its last step's output into a 3-class softmax. */
    static MultiLayerNetwork firstStepLstm() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(7)
                .updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER).list()
                .layer(new LastTimeStep(new LSTM.Builder().nIn(3).nOut(16).activation(Activation.TANH).build()))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    /** Four blocks of Dense(16, ReLU) + BatchNormalization and a softmax output, for the 4 Iris features. */
    static MultiLayerNetwork irisNet(IUpdater updater) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(7).updater(updater)
                .weightInit(WeightInit.RELU).list();
        int in = 4;
        for (int i = 0; i < 4; i++) {
            list.layer(new DenseLayer.Builder().nIn(in).nOut(16).activation(Activation.RELU).build());
            list.layer(new BatchNormalization.Builder().nOut(16).build());
            in = 16;
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(in).nOut(3)
                .activation(Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    /**
     * The Iris rows of DL4J's {@code iris.dat} (deeplearning4j-core), in minibatches of {@code batch}: in file order
     * (sorted by class), or reshuffled for each of {@code epochs} epochs with a fixed seed.
     */
    static List<DataSet> iris(int batch, boolean shuffle, int epochs) {
        List<double[]> rows = irisRows();
        Random random = new Random(42);
        List<DataSet> out = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            List<double[]> order = new ArrayList<>(rows);
            if (shuffle) {
                Collections.shuffle(order, random);
            }
            for (int start = 0; start < order.size(); start += batch) {
                int n = Math.min(batch, order.size() - start);
                float[][] x = new float[n][4];
                float[][] y = new float[n][3];
                for (int i = 0; i < n; i++) {
                    double[] r = order.get(start + i);
                    for (int j = 0; j < 4; j++) {
                        x[i][j] = (float) r[j];
                    }
                    y[i][(int) r[4]] = 1f;
                }
                out.add(new DataSet(Nd4j.create(x), Nd4j.create(y)));
            }
        }
        return out;
    }

    /** The 150 rows of {@code iris.dat}: 4 features and the class index, in file order. */
    static List<double[]> irisRows() {
        InputStream in = FieldCorpus.class.getClassLoader().getResourceAsStream("iris.dat");
        if (in == null) {
            throw new IllegalStateException("iris.dat not on the classpath: it ships in deeplearning4j-core");
        }
        List<double[]> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",");
                double[] row = new double[cells.length];
                for (int i = 0; i < cells.length; i++) {
                    row[i] = Double.parseDouble(cells[i].strip());
                }
                rows.add(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    private static List<DataSet> scaled(List<DataSet> data, double factor) {
        List<DataSet> out = new ArrayList<>(data.size());
        for (DataSet d : data) {
            out.add(new DataSet(d.getFeatures().mul(factor), d.getLabels()));
        }
        return out;
    }
}
