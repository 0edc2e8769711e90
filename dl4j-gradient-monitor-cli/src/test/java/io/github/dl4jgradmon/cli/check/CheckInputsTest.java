package io.github.dl4jgradmon.cli.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dl4jgradmon.cli.check.CheckRuns.Run;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static io.github.dl4jgradmon.cli.check.CheckRuns.assertBadInput;
import static io.github.dl4jgradmon.cli.check.CheckRuns.check;
import static io.github.dl4jgradmon.cli.check.CheckRuns.write;
import static org.assertj.core.api.Assertions.assertThat;

/** Every kind of model input: JSON, saved zip, each InputType, a multi-input graph. */
class CheckInputsTest {

    @TempDir
    Path dir;

    @Test
    void multiLayerJsonIsCheckedAndItsJsonReportHasEveryLayer() throws IOException {
        Path config = write(dir, "relu.json", ExampleConfigs.reluHeAdam().toJson());
        Path json = dir.resolve("report.json");

        Run r = check("--config", config.toString(), "--iterations", "30", "--json", json.toString());

        assertThat(r.code()).as(r.all()).isEqualTo(0);
        assertThat(r.out()).contains("MultiLayerNetwork").contains("feed-forward, 20 inputs")
                .contains("verdict: HEALTHY");
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertThat(report.get("verdict").asText()).isEqualTo("HEALTHY");
        assertThat(report.get("iterations").asInt()).isEqualTo(30);
        assertThat(report.get("notMeasured").isNull()).isTrue();
        assertThat(report.get("layers")).hasSize(5);
        assertThat(report.get("layers").get(0).get("name").asText()).isEqualTo("layer0");
        assertThat(report.get("layers").get(4).get("type").asText()).isEqualTo("OutputLayer");
        assertThat(report.get("lint")).isEmpty();
    }

    @Test
    void computationGraphJsonIsChecked() throws IOException {
        Path config = write(dir, "graph.json", ExampleConfigs.residualGraph().toJson());

        Run r = check("--model", config.toString(), "--iterations", "20");

        assertThat(r.code()).as(r.all()).isEqualTo(0);
        assertThat(r.out()).contains("ComputationGraph").contains("dense0").contains("verdict: HEALTHY");
    }

    @Test
    void savedMultiLayerZipKeepsItsTrainedWeights() throws IOException {
        MultiLayerNetwork net = new MultiLayerNetwork(ExampleConfigs.reluHeAdam());
        net.init();
        net.fit(Nd4j.randn(16, 20), Nd4j.eye(4).repeat(0, 4));
        Path zip = dir.resolve("trained.zip");
        net.save(zip.toFile(), true);

        CheckModel model = CheckModel.load(zip, List.of(), 20);
        INDArray restored = model.originalNet().params();
        Run r = check("--model", zip.toString(), "--iterations", "20");

        assertThat(restored).isEqualTo(net.params());
        assertThat(model.newNet(true).params()).isEqualTo(net.params());
        assertThat(model.newNet(false).params()).isNotEqualTo(net.params());
        assertThat(r.code()).as(r.all()).isEqualTo(0);
        assertThat(r.out()).contains("saved model: trained weights and updater state kept");
    }

    @Test
    void savedGraphZipIsChecked() throws IOException {
        ComputationGraph g = new ComputationGraph(ExampleConfigs.residualGraph());
        g.init();
        Path zip = dir.resolve("graph.zip");
        g.save(zip.toFile());

        Run r = check("--model", zip.toString(), "--iterations", "20");

        assertThat(r.code()).as(r.all()).isEqualTo(0);
        assertThat(r.out()).contains("ComputationGraph (saved model");
    }

    @Test
    void convolutionalModelAsksForTheShapeAndRunsWithIt() throws IOException {
        Path config = write(dir, "cnn.json", TestModels.cnn(12, 12, 1, 3).toJson());

        assertBadInput(check("--model", config.toString()), "give --input-shape H,W,C");
        Run r = check("--model", config.toString(), "--input-shape", "12,12,1", "--iterations", "15", "--batch", "8");

        assertThat(r.code()).as(r.all()).isIn(0, 1);
        assertThat(r.out()).contains("convolutional, 12x12x1 (NCHW)").contains("ConvolutionLayer");
        assertThat(r.out()).doesNotContain("not measured");
    }

    @Test
    void wrongImageShapeIsBadInputNamingTheShape() throws IOException {
        Path config = write(dir, "cnn.json", TestModels.cnn(12, 12, 1, 3).toJson());
        assertBadInput(check("--model", config.toString(), "--input-shape", "12,12,3"),
                "--input-shape 12,12,3 gives 3 channels but layer 0");
        assertBadInput(check("--model", config.toString(), "--input-shape", "20,20,1"),
                "the input shape does not fit the model (input: convolutional, 20x20x1 (NCHW))");
    }

    @Test
    void convolutionalFlatModelNeedsNoShape() throws IOException {
        Path config = write(dir, "flat.json", TestModels.cnnFlat(10, 10, 1, 2).toJson());

        Run r = check("--model", config.toString(), "--iterations", "10", "--batch", "8");

        assertThat(r.code()).as(r.all()).isIn(0, 1);
        assertThat(r.out()).contains("convolutional, 10x10x1 given flat (100 values)");
    }

    @Test
    void recurrentModelTrainsOnTheGivenNumberOfTimeSteps() throws IOException {
        Path config = write(dir, "lstm.json", TestModels.lstm(3, 2).toJson());
        CheckModel model = CheckModel.load(config, List.of(), 7);
        List<MultiDataSet> batches = CheckData.synthetic(model, 1, 4);

        Run r = check("--model", config.toString(), "--time-steps", "7", "--iterations", "10", "--batch", "4");

        assertThat(batches.get(0).getFeatures(0).shape()).containsExactly(4, 3, 7);
        assertThat(batches.get(0).getLabels(0).shape()).containsExactly(4, 2, 7);
        assertThat(r.code()).as(r.all()).isIn(0, 1);
        assertThat(r.out()).contains("recurrent, 3 inputs x 7 steps (NCW)").contains("RnnOutputLayer");
    }

    @Test
    void multiInputGraphTakesOneShapePerInput() throws IOException {
        Path config = write(dir, "two.json", TestModels.twoInputs().toJson());

        assertBadInput(check("--model", config.toString()), "input 'image'");
        assertBadInput(check("--model", config.toString(), "--input-shape", "8,8,1"),
                "--input-shape must name the input (name=H,W,C) when the graph has 2 inputs [meta, image]");
        assertBadInput(check("--model", config.toString(), "--input-shape", "picture=8,8,1"),
                "--input-shape names input 'picture' but the graph's inputs are [meta, image]");
        Run r = check("--model", config.toString(), "--input-shape", "image=8,8,1", "--iterations", "10", "--batch",
                "8");

        assertThat(r.code()).as(r.all()).isIn(0, 1);
        assertThat(r.out()).contains("input  meta: feed-forward, 5 inputs")
                .contains("input  image: convolutional, 8x8x1 (NCHW)").doesNotContain("not measured");
        CheckModel model = CheckModel.load(config, List.of(ShapeOption.parse("image=8,8,1")), 20);
        MultiDataSet batch = CheckData.synthetic(model, 1, 6).get(0);
        assertThat(batch.getFeatures(0).shape()).containsExactly(6, 5);
        assertThat(batch.getFeatures(1).shape()).containsExactly(6, 1, 8, 8);
        assertThat(batch.getLabels(0).sum(1).toDoubleVector()).containsOnly(1.0); // one-hot
    }

    @Test
    void embeddingInputIsBadInput() throws IOException {
        Path config = write(dir, "emb.json", TestModels.embedding().toJson());
        assertBadInput(check("--model", config.toString()), "takes integer indices");
    }
}
