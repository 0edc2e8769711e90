package io.github.dl4jgradmon.cli.check;

import io.github.dl4jgradmon.cli.check.CheckRuns.Run;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.github.dl4jgradmon.cli.check.CheckRuns.check;
import static io.github.dl4jgradmon.cli.check.CheckRuns.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 4-block ReLU + batch-normalization classifier on the Iris data shipped with DL4J ({@code iris.dat} in
 * deeplearning4j-core, 150 rows sorted by class) ended {@code check --data} at a loss of 1.1-1.2 after 1,000 iterations,
 * about chance (ln 3 = 1.10), with a HEALTHY verdict: the rows were read in file order, so every minibatch held one
 * class. The check now reshuffles the examples every epoch (seeded) and says so; {@code --no-shuffle} keeps file
 * order, and then STALLED reports a loss that goes nowhere while the gradients are alive.
 */
class CheckShuffleTest {

    @TempDir
    Path dir;

    private static String irisText() throws IOException {
        try (InputStream in = CheckShuffleTest.class.getClassLoader().getResourceAsStream("iris.dat")) {
            assertThat(in).as("iris.dat ships in deeplearning4j-core").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private Path irisModel() throws IOException {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(7).updater(new Adam(1e-2))
                .weightInit(WeightInit.RELU).list();
        int in = 4;
        for (int i = 0; i < 4; i++) {
            list.layer(new DenseLayer.Builder().nIn(in).nOut(16).activation(Activation.RELU).build());
            list.layer(new BatchNormalization.Builder().nOut(16).build());
            in = 16;
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(in).nOut(3)
                .activation(Activation.SOFTMAX).build());
        return write(dir, "iris-bn.json", list.build().toJson());
    }

    @Test
    void irisShipsSortedByClass() throws IOException {
        List<Integer> labels = new ArrayList<>();
        for (String line : irisText().split("\n")) {
            if (!line.isBlank()) {
                String[] cells = line.split(",");
                labels.add(Integer.parseInt(cells[cells.length - 1].strip()));
            }
        }
        assertThat(labels).hasSize(150).isSorted().containsOnly(0, 1, 2);
    }

    @Test
    void inFileOrderTheIrisNetGoesNowhereAndIsReported() throws IOException {
        Path csv = write(dir, "iris.csv", irisText());

        Run r = check("--model", irisModel().toString(), "--data", csv.toString(), "--iterations", "300",
                "--no-shuffle");

        assertThat(r.out()).as(r.all()).contains("in file order (--no-shuffle)").contains("STALLED")
                .contains("the loss has gone nowhere").contains("minibatch composition")
                .contains("verdict: UNHEALTHY");
        assertThat(r.code()).isEqualTo(1);
    }

    @Test
    void shuffledEveryEpochTheIrisNetLearnsAndIsHealthy() throws IOException {
        Path csv = write(dir, "iris.csv", irisText());

        Run r = check("--model", irisModel().toString(), "--data", csv.toString(), "--iterations", "300");

        assertThat(r.out()).as(r.all()).contains("examples reshuffled every epoch (seed 42; --no-shuffle keeps file "
                + "order)").contains("verdict: HEALTHY");
        double finalLoss = Double.parseDouble(r.out().lines().filter(l -> l.startsWith("final loss "))
                .findFirst().orElseThrow().substring("final loss ".length()).strip());
        assertThat(finalLoss).as("below a quarter of chance, ln 3").isLessThan(0.25 * Math.log(3));
        assertThat(r.code()).isEqualTo(0);
    }

    @Test
    void everyEpochHoldsEveryExampleOnceAndEpochsDiffer() throws IOException {
        CheckModel model = CheckModel.load(irisModel(), List.of(), 1);
        List<MultiDataSet> inOrder = CheckData.read(new CheckData.Source(write(dir, "iris.csv", irisText()),
                CheckData.Kind.CSV, 0, -1, 32, 1000, 42), model);
        EpochShuffle shuffled = new EpochShuffle(inOrder, 32, 42, 20);

        assertThat(shuffled.batchesPerEpoch()).isEqualTo(5); // 32 * 4 + 22
        Set<String> epoch0 = new HashSet<>();
        Set<String> epoch1 = new HashSet<>();
        List<String> firstRows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            MultiDataSet b = shuffled.get(i);
            for (int r = 0; r < b.getFeatures(0).rows(); r++) {
                String row = b.getFeatures(0).getRow(r).toString() + b.getLabels(0).getRow(r);
                (i < 5 ? epoch0 : epoch1).add(row);
                if (r == 0) {
                    firstRows.add(row);
                }
            }
        }
        assertThat(epoch0).hasSize(147); // iris.dat holds three pairs of identical rows
        assertThat(epoch1).isEqualTo(epoch0);
        assertThat(firstRows.get(0)).isNotEqualTo(firstRows.get(5));
        Set<Integer> classes = new HashSet<>();
        for (int r = 0; r < shuffled.get(0).getLabels(0).rows(); r++) {
            classes.add(shuffled.get(0).getLabels(0).getRow(r).argMax().getInt(0));
        }
        assertThat(classes).as("a shuffled minibatch mixes the classes").hasSize(3);
    }
}
