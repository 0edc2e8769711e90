package io.github.dl4jgradmon.cli.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import static io.github.dl4jgradmon.cli.check.CheckRuns.assertBadInput;
import static io.github.dl4jgradmon.cli.check.CheckRuns.check;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The check estimates what it accepted before running it: what cannot fit is refused at once (exit 2, one line naming
 * the option and the limit) instead of after minutes of work and gigabytes of memory.
 */
class CheckBudgetTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static String mlp(int hidden, int nIn, int nOut) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().list();
        for (int i = 0; i < hidden; i++) {
            b.layer(new DenseLayer.Builder().nIn(i == 0 ? nIn : nOut).nOut(nOut).activation(Activation.RELU).build());
        }
        return b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(hidden == 0 ? nIn : nOut).nOut(3)
                .activation(Activation.SOFTMAX).build()).build().toJson();
    }

    /** A MultiLayerConfiguration JSON whose first layer is repeated until it has {@code layers} layers. */
    private Path repeatedLayers(int layers) throws IOException {
        ObjectNode tree = (ObjectNode) JSON.readTree(mlp(1, 4, 4));
        ArrayNode confs = (ArrayNode) tree.get("confs");
        ObjectNode first = (ObjectNode) confs.get(0);
        ObjectNode last = (ObjectNode) confs.get(1);
        confs.removeAll();
        for (int i = 0; i < layers - 1; i++) {
            confs.add(first.deepCopy());
        }
        confs.add(last);
        return CheckRuns.write(dir, "layers-" + layers + ".json", JSON.writeValueAsString(tree));
    }

    @Test
    void aModelWithTwentyThousandLayersIsRefusedBeforeDl4jParsesIt() throws IOException {
        Path json = repeatedLayers(20_000);

        CheckRuns.Run r = check("--model", json.toString(), "--lint-only");

        assertBadInput(r, "--model " + json + " has 20000 layers, more than the 2000 a check accepts");
    }

    @Test
    void theLayerLimitIsInclusive() throws IOException {
        ObjectNode tree = JSON.createObjectNode();
        ArrayNode confs = tree.putArray("confs");
        for (int i = 0; i < CheckBudget.MAX_LAYERS; i++) {
            confs.addObject();
        }
        CheckBudget.checkLayerCount(Path.of("m.json"), tree);
        confs.addObject();
        assertThatThrownBy(() -> CheckBudget.checkLayerCount(Path.of("m.json"), tree))
                .hasMessageStartingWith("--model m.json has 2001 layers, more than the 2000 a check accepts");
        ObjectNode graph = JSON.createObjectNode();
        ObjectNode vertices = graph.putObject("vertices");
        for (int i = 0; i <= CheckBudget.MAX_LAYERS; i++) {
            vertices.putObject("v" + i);
        }
        assertThatThrownBy(() -> CheckBudget.checkLayerCount(Path.of("g.json"), graph))
                .hasMessageStartingWith("--model g.json has 2001 vertices, more than the 2000");
    }

    /** 100,000 x 100,000 weights: 40 GB of floats that DL4J's init would try to allocate. */
    @Test
    void parametersThatCannotFitInTheHeapAreRefusedBeforeTheNetworkIsBuilt() throws IOException {
        Path json = CheckRuns.write(dir, "wide.json", mlp(1, 100_000, 100_000));
        long parameters = 100_000L * 100_000 + 100_000 + 100_000L * 3 + 3; // W and b of both layers

        CheckRuns.Run r = check("--model", json.toString(), "--lint-only");

        assertBadInput(r, String.format(Locale.ROOT, "--model %s has %,d parameters", json, parameters));
        assertThat(r.err()).contains("more than this JVM's heap").contains("-Xmx");
    }

    @Test
    void parameterCountMatchesTheBuiltNetwork() throws IOException {
        MultiLayerConfiguration conf =
                MultiLayerConfiguration.fromJson(mlp(2, 7, 5));
        MultiLayerNetwork net =
                new MultiLayerNetwork(conf.clone());
        net.init();
        assertThat(CheckBudget.parameters(conf)).isEqualTo(net.numParams()).isEqualTo(7 * 5 + 5 + 5 * 5 + 5 + 5 * 3 + 3);
    }

    /** Before: 278 s and 1.7 GB, the probe's forward pass over 100,000 steps, then exit 2. */
    @Test
    void timeStepsThatCannotFitAreRefusedBeforeAnyNetworkRuns() throws IOException {
        Path json = CheckRuns.write(dir, "lstm.json", TestModels.lstm(4, 3).toJson());

        CheckRuns.Run r = check("--model", json.toString(), "--time-steps", "100000", "--batch", "32");

        assertBadInput(r, "--batch 32 with --time-steps 100000 needs about");
        assertThat(r.err()).contains("lower --batch or --time-steps");
    }

    @Test
    void jsonNestedFiveThousandDeepGivesOneClearLine() throws IOException {
        Path deep = CheckRuns.write(dir, "deep.json", "[".repeat(5_000) + "]".repeat(5_000));

        CheckRuns.Run r = check("--model", deep.toString(), "--lint-only");

        assertBadInput(r, "--model is not valid JSON: " + deep + " (");
        assertThat(r.err()).containsIgnoringCase("nesting depth").doesNotContain("NullPointer");
    }

    /** One line of 100 MB ("1,1,1,..."): DataVec would hold 50 million cells before any check saw the line. */
    @Test
    void aHundredMegabyteCsvLineIsRefusedWithItsLengthAndTheLimit() throws IOException {
        Path json = CheckRuns.write(dir, "mlp.json", mlp(1, 4, 4));
        Path csv = dir.resolve("data.csv");
        long length = 100L << 20;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(csv), 1 << 20)) {
            out.write("1,2,3,4,0\n".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[1 << 20];
            for (int i = 0; i < chunk.length; i += 2) {
                chunk[i] = '1';
                chunk[i + 1] = ',';
            }
            for (long written = 0; written < length; written += chunk.length) {
                out.write(chunk);
            }
            out.write("\n1,2,3,4,1\n".getBytes(StandardCharsets.US_ASCII));
        }

        CheckRuns.Run r = check("--model", json.toString(), "--data", csv.toString(), "--lint-only");

        assertBadInput(r, "--data " + csv + ": line 2 is 104,857,600 bytes long, more than the 1,048,576 accepted "
                + "for rows of 5 columns");
        assertThat(r.err()).doesNotContain("--batch");
    }

    @Test
    void aCsvLineJustAtTheLimitIsReadAndOneByteMoreIsNot() throws IOException {
        Path ok = dir.resolve("ok.csv");
        byte[] line = new byte[(int) CsvLines.MIN_LIMIT];
        Arrays.fill(line, (byte) '7');
        Files.write(ok, line);
        CsvLines.check(ok, 10, CsvLines.MIN_LIMIT, "rows");
        Path over = dir.resolve("over.csv");
        Files.write(over, Arrays.copyOf(line, line.length + 1));
        assertThatThrownBy(() -> CsvLines.check(over, 10, CsvLines.MIN_LIMIT, "rows"))
                .hasMessage("--data " + over + ": line 1 is 1,048,577 bytes long, more than the 1,048,576 accepted "
                        + "for rows; is the file one CSV row per line?");
        assertThat(CsvLines.limit(100_000)).isEqualTo(6_400_000);
    }
}
