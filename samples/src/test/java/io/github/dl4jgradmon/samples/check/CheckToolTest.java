package io.github.dl4jgradmon.samples.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CheckToolTest {

    @TempDir
    Path dir;

    /** Exit code and captured streams of one run. */
    private record Run(int code, String out, String err) {
    }

    private static Run check(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = CheckTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static void assertBadInput(Run r, String message) {
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("check: ").contains(message).doesNotContain("\n").doesNotContain("\tat ");
    }

    @Test
    void deepSigmoidMlpIsUnhealthyWithVanishingFirstLayersAndAHint() throws IOException {
        Path config = write("deep-sigmoid.json", ExampleConfigs.deepSigmoid().toJson());
        Path json = dir.resolve("report.json");

        Run r = check("--config", config.toString(), "--iterations", "40", "--json", json.toString());

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("VANISHING").contains("layer0").contains("hint: ").contains("verdict: UNHEALTHY");
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertThat(report.get("verdict").asText()).isEqualTo("UNHEALTHY");
        assertThat(report.get("iterations").asInt()).isEqualTo(40);
        assertThat(report.get("layers")).hasSize(13); // 12 sigmoid layers + the output layer
        List<String> vanishing = new ArrayList<>();
        for (JsonNode a : report.get("alerts")) {
            if (a.get("type").asText().equals("VANISHING")) {
                vanishing.add(a.get("layer").asText());
                assertThat(a.get("severity").asText()).isEqualTo("WARNING");
                assertThat(a.get("hint").asText()).contains("RELU");
                assertThat(a.get("value").asDouble()).isLessThan(a.get("threshold").asDouble());
            }
        }
        assertThat(vanishing).startsWith("layer0", "layer1");
        // independent of the detector: a 12-deep sigmoid stack shrinks the gradient by far more than 1000x
        JsonNode layers = report.get("layers");
        assertThat(layers.get(0).get("gradientNorm").get("median").asDouble())
                .isLessThan(1e-3 * layers.get(12).get("gradientNorm").get("median").asDouble());
    }

    @Test
    void reluHeAdamMlpIsHealthyAndTheJsonHasTheDesignedShape() throws IOException {
        Path config = write("relu.json", ExampleConfigs.reluHeAdam().toJson());
        Path json = dir.resolve("report.json");

        Run r = check("--config", config.toString(), "--iterations", "60", "--json", json.toString());

        assertThat(r.code()).as(r.out()).isEqualTo(0);
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertThat(report.get("verdict").asText()).isEqualTo("HEALTHY");
        assertThat(report.get("iterations").asInt()).isEqualTo(60);
        assertThat(report.get("alerts")).isEmpty();
        assertThat(report.get("layers")).hasSize(5);
        JsonNode first = report.get("layers").get(0);
        assertThat(first.get("name").asText()).isEqualTo("layer0");
        assertThat(first.get("index").asInt()).isEqualTo(0);
        assertThat(first.get("type").asText()).isEqualTo("DenseLayer");
        assertThat(first.get("gradientNorm").get("first").asDouble()).isPositive();
        assertThat(first.get("gradientNorm").get("median").asDouble()).isPositive();
        assertThat(first.get("gradientNorm").get("last").asDouble()).isPositive();
        assertThat(report.get("layers").get(4).get("type").asText()).isEqualTo("OutputLayer");
    }

    @Test
    void computationGraphConfigIsChecked() throws IOException {
        Path config = write("graph.json", ExampleConfigs.residualGraph().toJson());

        Run r = check("--config", config.toString(), "--iterations", "30");

        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(0);
        assertThat(r.out()).contains("ComputationGraph").contains("dense0").contains("verdict: HEALTHY");
    }

    @Test
    void trainsOnACsvWithHeaderAndLabelColumn() throws IOException {
        StringBuilder csv = new StringBuilder("label");
        for (int f = 0; f < 20; f++) {
            csv.append(",f").append(f);
        }
        csv.append('\n');
        java.util.Random random = new java.util.Random(3);
        for (int row = 0; row < 64; row++) {
            double[] x = new double[20];
            for (int f = 0; f < 20; f++) {
                x[f] = random.nextGaussian();
            }
            int label = (x[0] > 0 ? 1 : 0) + (x[1] > 0 ? 2 : 0);
            csv.append(label);
            for (double v : x) {
                csv.append(',').append(v);
            }
            csv.append('\n');
        }
        Path data = write("train.csv", csv.toString());
        Path config = write("relu.json", ExampleConfigs.reluHeAdam().toJson());

        Run r = check("--config", config.toString(), "--data", data.toString(), "--label-column", "0",
                "--iterations", "20", "--batch", "16");

        assertThat(r.code()).as(r.err()).isEqualTo(0);
        assertThat(r.out()).contains("data " + data);
    }

    @Test
    void missingConfigFileIsBadInput() {
        assertBadInput(check("--config", dir.resolve("model.json").toString()),
                "--config file not found: " + dir.resolve("model.json").toAbsolutePath());
    }

    @Test
    void malformedJsonIsBadInput() throws IOException {
        assertBadInput(check("--config", write("m.json", "{\"confs\": [").toString()), "--config is not valid JSON");
    }

    @Test
    void jsonThatIsNotADl4jConfigurationIsBadInput() throws IOException {
        assertBadInput(check("--config", write("m.json", "{\"name\": \"resnet\"}").toString()),
                "--config is not a DL4J MultiLayerConfiguration or ComputationGraphConfiguration JSON");
    }

    @Test
    void csvWhoseWidthDoesNotMatchTheModelIsBadInput() throws IOException {
        Path config = write("relu.json", ExampleConfigs.reluHeAdam().toJson());
        Path data = write("d.csv", "1,2,3,0\n4,5,6,1\n");
        assertBadInput(check("--config", config.toString(), "--data", data.toString()),
                "--data has 3 feature columns (4 columns minus the label column) but the model takes 20 inputs");
    }

    @Test
    void nonNumericCsvCellIsBadInput() throws IOException {
        Path config = write("relu.json", ExampleConfigs.reluHeAdam().toJson());
        Path data = write("d.csv", "1,2,3\n4,x5,6\n");
        assertBadInput(check("--config", config.toString(), "--data", data.toString()),
                "--data line 2, column 1: 'x5' is not a number");
    }

    @Test
    void unknownOptionIsBadInput() {
        assertBadInput(check("--config", "m.json", "--epochs", "3"), "unknown option '--epochs'");
    }

    @Test
    void optionWithoutValueIsBadInput() {
        assertBadInput(check("--config", "m.json", "--iterations"), "--iterations needs a value");
        assertBadInput(check("--config", "--json", "r.json"), "--config needs a value");
    }

    @Test
    void nonIntegerOrNegativeIterationsIsBadInput() {
        assertBadInput(check("--config", "m.json", "--iterations", "ten"),
                "--iterations must be an integer >= 1 (got: ten)");
        assertBadInput(check("--config", "m.json", "--iterations", "-5"),
                "--iterations must be an integer >= 1 (got: -5)");
    }

    @Test
    void missingConfigOptionIsBadInput() {
        assertBadInput(check("--iterations", "5"), "--config is required");
    }

    @Test
    void bundledExampleConfigsMatchTheirBuilders() throws IOException {
        Path resources = Path.of("src/main/resources/check");
        ObjectMapper m = new ObjectMapper();
        assertThat(m.readTree(resources.resolve("deep-sigmoid.json").toFile()))
                .isEqualTo(m.readTree(ExampleConfigs.deepSigmoid().toJson()));
        assertThat(m.readTree(resources.resolve("relu-he-adam.json").toFile()))
                .isEqualTo(m.readTree(ExampleConfigs.reluHeAdam().toJson()));
        assertThat(m.readTree(resources.resolve("residual-graph.json").toFile()))
                .isEqualTo(m.readTree(ExampleConfigs.residualGraph().toJson()));
    }
}
