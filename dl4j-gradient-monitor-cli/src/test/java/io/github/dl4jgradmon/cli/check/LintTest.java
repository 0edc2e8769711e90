package io.github.dl4jgradmon.cli.check;

import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.cli.check.CheckModel.OutputSpec;
import io.github.dl4jgradmon.cli.check.CheckModel.Range;
import io.github.dl4jgradmon.cli.check.Lint.Finding;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

/** Each lint rule: a case that fires and a case that does not. */
class LintTest {

    private static List<String> rules(List<Finding> findings) {
        return findings.stream().map(Finding::rule).toList();
    }

    /** A stack of dense layers configured per layer, then a softmax output; 10 inputs. */
    private static MultiLayerConfiguration mlp(int hidden, IUpdater updater, WeightInit init,
                                               Consumer<DenseLayer.Builder> perLayer, boolean batchNorm) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().updater(updater)
                .weightInit(init).list();
        for (int i = 0; i < hidden; i++) {
            DenseLayer.Builder b = new DenseLayer.Builder().nOut(16);
            perLayer.accept(b);
            list.layer(b.build());
            if (batchNorm) {
                list.layer(new BatchNormalization.Builder().build());
            }
        }
        return list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                .activation(Activation.SOFTMAX).build()).setInputType(InputType.feedForward(10)).build();
    }

    @Test
    void outputLayerThatDl4jRejectsIsACriticalFindingNotAnException() {
        MultiLayerConfiguration bad = new NeuralNetConfiguration.Builder().list().validateOutputLayerConfig(false)
                .layer(new DenseLayer.Builder().nIn(4).nOut(8).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(1)
                        .activation(Activation.SOFTMAX).build())
                .build();
        List<Finding> f = Lint.configuration(MultiLayerConfiguration.fromJson(bad.toJson()));

        assertThat(rules(f)).containsExactly("OUTPUT_LAYER");
        assertThat(f.get(0).severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.get(0).where()).isEqualTo("layer1");
        assertThat(f.get(0).fix()).contains("SIGMOID").contains("XENT");
        assertThat(f.get(0).message()).startsWith("Softmax + nOut=1 networks are not supported.");
        assertThat(rules(Lint.configuration(ExampleConfigs.reluHeAdam()))).doesNotContain("OUTPUT_LAYER");
    }

    @Test
    void deepSigmoidStackWithoutBatchNormIsFlagged() {
        assertThat(rules(Lint.configuration(ExampleConfigs.deepSigmoid()))).containsExactly("DEEP_SATURATING");
        assertThat(rules(Lint.configuration(mlp(3, new Sgd(0.1), WeightInit.XAVIER,
                b -> b.activation(Activation.TANH), false)))).doesNotContain("DEEP_SATURATING");
        assertThat(rules(Lint.configuration(mlp(6, new Sgd(0.1), WeightInit.XAVIER,
                b -> b.activation(Activation.SIGMOID), true)))).doesNotContain("DEEP_SATURATING");
    }

    @Test
    void defaultSigmoidOnALayerWithoutActivationIsFlaggedByName() {
        // layer 1 was built without .activation(...): DL4J gives it the global default, sigmoid
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().updater(new Adam(1e-3))
                .weightInit(WeightInit.RELU).list()
                .layer(new DenseLayer.Builder().nOut(16).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(16).build())
                .layer(new DenseLayer.Builder().nOut(16).activation(Activation.RELU).build());
        MultiLayerConfiguration forgot = list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nOut(3).activation(Activation.SOFTMAX).build()).setInputType(InputType.feedForward(10)).build();

        List<Finding> f = Lint.configuration(forgot);

        assertThat(rules(f)).containsExactly("DEFAULT_ACTIVATION");
        assertThat(f.get(0).where()).isEqualTo("layer1");
        assertThat(f.get(0).message()).contains("relu");
        assertThat(rules(Lint.configuration(ExampleConfigs.deepSigmoid()))).doesNotContain("DEFAULT_ACTIVATION");
        assertThat(rules(Lint.configuration(ExampleConfigs.reluHeAdam()))).doesNotContain("DEFAULT_ACTIVATION");
    }

    @Test
    void reluWithXavierInitIsFlaggedAndReluWithHeIsNot() {
        List<Finding> f = Lint.configuration(mlp(3, new Adam(1e-3), WeightInit.XAVIER,
                b -> b.activation(Activation.RELU), false));
        assertThat(rules(f)).containsExactly("RELU_XAVIER");
        assertThat(f.get(0).where()).isEqualTo("layer0, layer1, layer2");
        assertThat(rules(Lint.configuration(mlp(3, new Adam(1e-3), WeightInit.RELU,
                b -> b.activation(Activation.RELU), false)))).isEmpty();
    }

    @Test
    void learningRateFarOutsideTheUpdatersRangeIsFlagged() {
        List<Finding> high = Lint.configuration(mlp(2, new Adam(0.5), WeightInit.RELU,
                b -> b.activation(Activation.RELU), false));
        List<Finding> low = Lint.configuration(mlp(2, new Sgd(1e-7), WeightInit.RELU,
                b -> b.activation(Activation.RELU), false));

        assertThat(rules(high)).containsExactly("LEARNING_RATE");
        assertThat(high.get(0).message()).contains("Adam learning rate 0.5 is far above");
        assertThat(high.get(0).where()).isEqualTo("layer0, layer1, layer2");
        assertThat(rules(low)).containsExactly("LEARNING_RATE");
        assertThat(low.get(0).message()).contains("far below");
        assertThat(rules(Lint.configuration(mlp(2, new Adam(1e-3), WeightInit.RELU,
                b -> b.activation(Activation.RELU), false)))).isEmpty();
        assertThat(rules(Lint.configuration(mlp(2, new Sgd(0.1), WeightInit.RELU,
                b -> b.activation(Activation.RELU), false)))).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------ data rules

    private static final InputSpec THREE = InputSpec.feedForward("input", 3);
    private static final OutputSpec SOFTMAX2 = new OutputSpec("output", new long[] {-1, 2}, Range.PROBABILITIES, 1,
            "OutputLayer");

    /** One batch: rows of three features, one-hot labels of the given classes. */
    private static List<MultiDataSet> batch(double[][] x, int[] classes) {
        double[][] y = new double[classes.length][2];
        for (int i = 0; i < classes.length; i++) {
            y[i][classes[i]] = 1;
        }
        return List.of(new MultiDataSet(Nd4j.create(x), Nd4j.create(y)));
    }

    private static double[][] rows(int n, double scale0, double offset1) {
        Random r = new Random(4);
        double[][] x = new double[n][3];
        for (int i = 0; i < n; i++) {
            x[i] = new double[] {scale0 * r.nextGaussian(), offset1 + r.nextGaussian(), r.nextGaussian()};
        }
        return x;
    }

    /** The number that follows {@code prefix} in {@code message}. */
    private static double quoted(String message, String prefix) {
        Matcher m = Pattern.compile(Pattern.quote(prefix) + "([-+0-9.E]+)").matcher(message);
        assertThat(m.find()).as("'%s' in %s", prefix, message).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static double mean(double[][] x, int column) {
        double sum = 0;
        for (double[] row : x) {
            sum += row[column];
        }
        return sum / x.length;
    }

    private static double std(double[][] x, int column) {
        double mean = mean(x, column);
        double sum = 0;
        for (double[] row : x) {
            sum += (row[column] - mean) * (row[column] - mean);
        }
        return Math.sqrt(sum / x.length);
    }

    private static int[] balanced(int n) {
        int[] c = new int[n];
        for (int i = 0; i < n; i++) {
            c[i] = i % 2;
        }
        return c;
    }

    @Test
    void featuresOnWildlyDifferentScalesAreFlagged() {
        List<Finding> f = Lint.data(batch(rows(100, 1000, 0), balanced(100)), THREE, SOFTMAX2);
        assertThat(rules(f)).containsExactly("DATA_SCALE");
        assertThat(quoted(f.get(0).message(), "feature 0 has standard deviation "))
                .isCloseTo(std(rows(100, 1000, 0), 0), withinPercentage(1.5));
        assertThat(f.get(0).fix()).contains("--normalize standardize");
        assertThat(rules(Lint.data(batch(rows(100, 1, 0), balanced(100)), THREE, SOFTMAX2))).isEmpty();
    }

    @Test
    void featuresFarFromZeroMeanAreFlagged() {
        List<Finding> f = Lint.data(batch(rows(100, 1, 40), balanced(100)), THREE, SOFTMAX2);
        assertThat(rules(f)).containsExactly("DATA_OFFSET");
        assertThat(f.get(0).message()).contains("deviations off zero");
        assertThat(quoted(f.get(0).message(), "feature 1 has mean "))
                .isCloseTo(mean(rows(100, 1, 40), 1), withinPercentage(1.5));
        assertThat(rules(Lint.data(batch(rows(100, 1, 0.5), balanced(100)), THREE, SOFTMAX2))).isEmpty();
    }

    @Test
    void labelsOutsideTheOutputRangeAreCritical() {
        OutputSpec sigmoid = new OutputSpec("out", new long[] {-1, 1}, Range.ZERO_ONE, 1, "OutputLayer");
        List<MultiDataSet> outside = List.of(new MultiDataSet(Nd4j.create(rows(4, 1, 0)),
                Nd4j.create(new double[][] {{0}, {1}, {5}, {2}})));
        List<MultiDataSet> inside = List.of(new MultiDataSet(Nd4j.create(rows(4, 1, 0)),
                Nd4j.create(new double[][] {{0}, {1}, {1}, {0}})));

        List<Finding> f = Lint.data(outside, THREE, sigmoid);

        assertThat(rules(f)).containsExactly("LABEL_RANGE");
        assertThat(f.get(0).severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.get(0).message()).contains("[0, 5]").contains("[0, 1]");
        assertThat(rules(Lint.data(inside, THREE, sigmoid))).isEmpty();
    }

    @Test
    void classImbalanceIsFlaggedWithTheCounts() {
        int[] skewed = new int[100];
        for (int i = 0; i < 5; i++) {
            skewed[i] = 1; // 95 of class 0, 5 of class 1: 19:1
        }
        List<Finding> f = Lint.data(batch(rows(100, 1, 0), skewed), THREE, SOFTMAX2);
        assertThat(rules(f)).containsExactly("CLASS_IMBALANCE");
        assertThat(f.get(0).message()).contains("class 0 has 95").contains("class 1 has 5").contains("19:1");
        int[] mild = new int[100];
        for (int i = 0; i < 20; i++) {
            mild[i] = 1; // 80:20 = 4:1
        }
        assertThat(rules(Lint.data(batch(rows(100, 1, 0), mild), THREE, SOFTMAX2))).isEmpty();
    }
}
