package io.github.dl4jgradmon.cli.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dl4jgradmon.cli.check.CheckRuns.Run;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static io.github.dl4jgradmon.cli.check.CheckRuns.assertBadInput;
import static io.github.dl4jgradmon.cli.check.CheckRuns.assertOptionError;
import static io.github.dl4jgradmon.cli.check.CheckRuns.check;
import static io.github.dl4jgradmon.cli.check.CheckRuns.write;
import static org.assertj.core.api.Assertions.assertThat;

/** Verdicts, exit codes, --try-fixes and every kind of bad input. */
class CheckToolTest {

    @TempDir
    Path dir;

    @Test
    void deepSigmoidIsUnhealthyAndTryFixesFindsAHealthyFixAndWritesIt() throws IOException {
        Path config = write(dir, "deep-sigmoid.json", ExampleConfigs.deepSigmoid().toJson());
        Path json = dir.resolve("report.json");
        Path fixedFile = dir.resolve("fixed.json");

        Run r = check("--model", config.toString(), "--iterations", "20", "--try-fixes", "--write-fixed",
                fixedFile.toString(), "--json", json.toString());

        assertThat(r.code()).as(r.all()).isEqualTo(1);
        assertThat(r.out()).contains("DEEP_SATURATING").contains("VANISHING").contains("hint: ")
                .contains("verdict: UNHEALTHY").contains("try-fixes: 2 fixes");
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertThat(report.get("verdict").asText()).isEqualTo("UNHEALTHY");
        assertThat(report.get("layers")).hasSize(13);
        // independent of the detector: a 12-deep sigmoid stack shrinks the gradient by far more than 1000x
        JsonNode layers = report.get("layers");
        assertThat(layers.get(0).get("gradientNorm").get("median").asDouble())
                .isLessThan(1e-3 * layers.get(12).get("gradientNorm").get("median").asDouble());
        List<String> healthy = new ArrayList<>();
        for (JsonNode f : report.get("fixes")) {
            if (f.get("verdict").asText().equals("HEALTHY")) {
                healthy.add(f.get("fix").asText());
                assertThat(f.get("alertsLeft").asInt()).isZero();
                // the fixed net's first layer gets a gradient of the last layer's order, not 1e-8 of it
                assertThat(f.get("firstLastGradientRatio").asDouble()).isGreaterThan(1e-2);
            }
        }
        assertThat(healthy).isNotEmpty();
        String best = report.get("bestFix").asText();
        assertThat(healthy).contains(best);
        assertThat(r.out()).contains("best: " + best).contains("wrote " + fixedFile);
        MultiLayerConfiguration written = MultiLayerConfiguration.fromJson(Files.readString(fixedFile));
        boolean sigmoidLeft = written.getConfs().subList(0, written.getConfs().size() - 1).stream()
                .anyMatch(c -> c.getLayer() instanceof BaseLayer b && b.getActivationFn() instanceof ActivationSigmoid);
        boolean batchNorm = written.getConfs().stream().anyMatch(c -> c.getLayer() instanceof BatchNormalization);
        assertThat(best.equals("relu-he") ? !sigmoidLeft : batchNorm).isTrue();
    }

    @Test
    void carelessExampleHasTheLintFindingsItWasBuiltFor() {
        assertThat(Lint.configuration(ExampleConfigs.careless())).extracting(Lint.Finding::rule)
                .containsExactly("DEFAULT_ACTIVATION", "RELU_XAVIER", "LEARNING_RATE");
    }

    @Test
    void healthyModelHasNoFixToTry() throws IOException {
        Path config = write(dir, "relu.json", ExampleConfigs.reluHeAdam().toJson());
        Run r = check("--model", config.toString(), "--iterations", "20", "--try-fixes");
        assertThat(r.code()).as(r.all()).isEqualTo(0);
        assertThat(r.out()).contains("verdict: HEALTHY").contains("try-fixes: no fix applies");
    }

    @Test
    void lintOnlyDoesNotTrainAndExitsOneOnAWarning() throws IOException {
        Path json = dir.resolve("lint.json");
        Run sick = check("--model", write(dir, "s.json", ExampleConfigs.deepSigmoid().toJson()).toString(),
                "--lint-only", "--json", json.toString());
        Run fine = check("--model", write(dir, "r.json", ExampleConfigs.reluHeAdam().toJson()).toString(),
                "--lint-only");

        assertThat(sick.code()).isEqualTo(1);
        assertThat(sick.out()).contains("DEEP_SATURATING").doesNotContain("grad first").doesNotContain("verdict:");
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertThat(report.get("verdict").asText()).isEqualTo("LINT_ONLY");
        assertThat(report.get("lint").get(0).get("rule").asText()).isEqualTo("DEEP_SATURATING");
        assertThat(fine.code()).isEqualTo(0);
        assertThat(fine.out()).contains("lint (").contains("no findings");
    }

    @Test
    void aRunThatCouldNotMeasureExitsThreeWithOneLine() throws IOException {
        Path config = write(dir, "relu.json", ExampleConfigs.reluHeAdam().toJson());
        Run r = check(b -> b.onSnapshot(s -> {
            throw new IllegalStateException("injected");
        }), "--model", config.toString(), "--iterations", "5");

        assertThat(r.code()).as(r.all()).isEqualTo(3);
        assertThat(r.err().strip()).startsWith("check: could not measure: the monitor contained")
                .doesNotContain("\n");
        assertThat(r.out()).contains("verdict: NOT MEASURED").doesNotContain("verdict: HEALTHY");
    }

    @Test
    void outOfMemoryIsOneLineAndExitCodeThree() throws IOException {
        Path config = write(dir, "relu.json", ExampleConfigs.reluHeAdam().toJson());
        Run r = check(b -> b.onSnapshot(s -> {
            throw new OutOfMemoryError("Java heap space"); // what a too-large step would throw inside fit()
        }), "--model", config.toString(), "--iterations", "3");

        assertThat(r.code()).as(r.all()).isEqualTo(3);
        try (Stream<Path> files = Files.list(Path.of("."))) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("dl4j-memory-crash"));
        }
        assertThat(r.err().strip()).startsWith("check: could not measure: out of memory (Java heap space) with "
                + "--batch 32; lower --batch").doesNotContain("\n").doesNotContain("\tat ");
    }

    @Test
    void reportWithoutSnapshotsIsNotMeasured() {
        CheckReport empty = CheckReport.of(10, Optional.empty(), List.of(), List.of(),
                Optional.of("the monitor recorded no gradient snapshot"));
        assertThat(empty.verdict()).isEqualTo(CheckReport.Verdict.NOT_MEASURED);
    }

    // ------------------------------------------------------------------------------------------------ bad input

    @Test
    void missingModelFileIsBadInput() {
        assertBadInput(check("--model", dir.resolve("model.json").toString()),
                "--model file not found: " + dir.resolve("model.json").toAbsolutePath());
    }

    @Test
    void malformedJsonIsBadInput() throws IOException {
        assertBadInput(check("--config", write(dir, "m.json", "{\"confs\": [").toString()),
                "--model is not valid JSON");
    }

    @Test
    void jsonThatIsNotADl4jConfigurationIsBadInput() throws IOException {
        assertBadInput(check("--model", write(dir, "m.json", "{\"name\": \"resnet\"}").toString()),
                "is not a DL4J MultiLayerConfiguration or ComputationGraphConfiguration JSON");
    }

    @Test
    void zipThatIsNotAModelIsBadInput() throws IOException {
        Path zip = dir.resolve("photos.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new ZipEntry("a.txt"));
            z.write("hello".getBytes());
            z.closeEntry();
        }
        assertBadInput(check("--model", zip.toString()), "is a zip file but not a DL4J model saved by "
                + "ModelSerializer (no configuration.json entry)");
    }

    @Test
    void truncatedZipIsBadInput() throws IOException {
        Path zip = dir.resolve("cut.zip");
        Files.write(zip, new byte[] {'P', 'K', 3, 4, 1, 2, 3});
        assertBadInput(check("--model", zip.toString()), "--model is not a readable zip file");
    }

    @Test
    void missingDataIsBadInput() throws IOException {
        Path config = write(dir, "relu.json", ExampleConfigs.reluHeAdam().toJson());
        assertBadInput(check("--model", config.toString(), "--data", dir.resolve("none.csv").toString()),
                "--data not found");
    }

    @Test
    void hugeBatchIsRefusedBeforeAnyAllocation() throws IOException {
        Path config = write(dir, "cnn.json", TestModels.cnn(64, 64, 3, 2).toJson());
        // 64x64x3 inputs: 16 synthetic batches of 100,000 examples are 31 GiB; the heap is 3 GiB
        assertBadInput(check("--model", config.toString(), "--input-shape", "64,64,3", "--batch", "100000"),
                "--batch 100000 needs about");
        // a wide layer: 10,000 examples x 100,000 activations x 4 bytes are 3.7 GiB before gradients
        MultiLayerConfiguration wide = new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(10).nOut(100_000)
                        .activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder().nIn(100_000).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .build();
        assertBadInput(check("--model", write(dir, "wide.json", wide.toJson()).toString(), "--batch", "10000"),
                "--batch 10000 needs about");
        assertOptionError(check("--model", config.toString(), "--batch", "200000000"),
                "--batch must be in [1, 100000] (got: 200000000)");
    }

    @Test
    void iterationsAreBounded() {
        assertOptionError(check("--model", "m.json", "--iterations", "2000000000"),
                "--iterations must be in [1, 100000] (got: 2000000000)");
        assertOptionError(check("--model", "m.json", "--iterations", "0"), "--iterations must be in [1, 100000]");
    }

    @Test
    void unknownOptionGivesTheErrorAndTheSynopsis() {
        assertOptionError(check("--model", "m.json", "--epochs", "3"), "Unknown option");
    }

    @Test
    void optionWithoutValueOrWrongTypeIsAnOptionError() {
        assertOptionError(check("--model", "m.json", "--iterations"), "--iterations");
        assertOptionError(check("--model", "m.json", "--iterations", "ten"), "'ten' is not an int");
        assertOptionError(check("--model", "m.json", "--normalize", "zscore"), "zscore");
        assertOptionError(check("--iterations", "5"), "Missing required option: '--model=FILE'");
    }

    @Test
    void malformedInputShapeIsAnOptionError() {
        assertOptionError(check("--model", "m.json", "--input-shape", "12,12"),
                "--input-shape must be H,W,C (an image) or N (a vector)");
        assertOptionError(check("--model", "m.json", "--input-shape", "0,12,1"),
                "--input-shape values must be integers in [1, 1000000]");
    }

    @Test
    void optionsThatNeedAnotherAreOptionErrors() {
        assertOptionError(check("--model", "m.json", "--skip-lines", "1"), "--skip-lines needs --data");
        assertOptionError(check("--model", "m.json", "--write-fixed", "f.json"), "--write-fixed needs --try-fixes");
        assertOptionError(check("--model", "m.json", "--lint-only", "--try-fixes"), "exclude each other");
    }

    @Test
    void helpListsEveryOptionAndTheExitCodes() {
        Run r = check("--help");
        assertThat(r.code()).isZero();
        for (String option : new String[] {"--model", "--config", "--input-shape", "--time-steps", "--data",
            "--data-kind", "--skip-lines", "--label-column", "--normalize", "--iterations", "--batch", "--seed",
            "--lint-only", "--try-fixes", "--write-fixed", "--json"}) {
            assertThat(r.out()).contains(option);
        }
        assertThat(r.out()).contains("Exit codes:").contains("could not measure").contains("Examples:");
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
        assertThat(m.readTree(resources.resolve("careless.json").toFile()))
                .isEqualTo(m.readTree(ExampleConfigs.careless().toJson()));
    }
}
