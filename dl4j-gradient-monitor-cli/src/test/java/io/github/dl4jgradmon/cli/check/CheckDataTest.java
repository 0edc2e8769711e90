package io.github.dl4jgradmon.cli.check;

import io.github.dl4jgradmon.cli.check.CheckRuns.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

import static io.github.dl4jgradmon.cli.check.CheckRuns.assertBadInput;
import static io.github.dl4jgradmon.cli.check.CheckRuns.check;
import static io.github.dl4jgradmon.cli.check.CheckRuns.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Real data through DataVec: CSV (quoting, header), sequence CSVs, an image folder; bad cells; normalizers. */
class CheckDataTest {

    @TempDir
    Path dir;

    private Path reluConfig() throws IOException {
        return write(dir, "relu.json", ExampleConfigs.reluHeAdam().toJson());
    }

    /** 20 features and a class label in column 0, every cell quoted; values kept for comparison. */
    private Path quotedCsv(int rows, double[][] values, int[] labels) throws IOException {
        StringBuilder csv = new StringBuilder("\"label\"");
        for (int f = 0; f < 20; f++) {
            csv.append(",\"feature, number ").append(f).append('"'); // a comma inside a quoted header cell
        }
        csv.append('\n');
        Random random = new Random(3);
        for (int r = 0; r < rows; r++) {
            labels[r] = random.nextInt(4);
            csv.append('"').append(labels[r]).append('"');
            for (int f = 0; f < 20; f++) {
                values[r][f] = Math.round(random.nextGaussian() * 1000) / 1000.0;
                csv.append(",\"").append(values[r][f]).append('"');
            }
            csv.append('\n');
        }
        return write(dir, "train.csv", csv.toString());
    }

    @Test
    void quotedCsvWithAHeaderIsReadCellForCell() throws IOException {
        double[][] values = new double[10][20];
        int[] labels = new int[10];
        Path csv = quotedCsv(10, values, labels);
        CheckModel model = CheckModel.load(reluConfig(), List.of(), 20);

        List<MultiDataSet> batches = CheckData.read(new CheckData.Source(csv, CheckData.Kind.CSV, 1, 0, 4, 1000, 1),
                model);

        assertThat(batches).hasSize(3); // 4 + 4 + 2 rows
        for (int r = 0; r < 10; r++) {
            INDArray x = batches.get(r / 4).getFeatures(0).getRow(r % 4);
            INDArray y = batches.get(r / 4).getLabels(0).getRow(r % 4);
            for (int f = 0; f < 20; f++) {
                assertThat(x.getDouble(f)).isCloseTo(values[r][f], within(1e-6));
            }
            assertThat(y.argMax().getInt(0)).isEqualTo(labels[r]);
            assertThat(y.sumNumber().doubleValue()).isEqualTo(1.0);
        }
    }

    @Test
    void csvCheckRunsEndToEnd() throws IOException {
        Path csv = quotedCsv(64, new double[64][20], new int[64]);

        Run r = check("--model", reluConfig().toString(), "--data", csv.toString(), "--skip-lines", "1",
                "--label-column", "0", "--iterations", "10", "--batch", "16");

        assertThat(r.code()).as(r.all()).isIn(0, 1);
        assertThat(r.out()).contains("data " + csv).doesNotContain("not measured");
    }

    @Test
    void aHeaderLineIsRecognizedSkippedAndSaid() throws IOException {
        Path csv = quotedCsv(64, new double[64][20], new int[64]);
        assertThat(CheckData.csvHeader(csv)).hasValueSatisfying(h -> assertThat(h).startsWith("label,feature, number 0,"));

        Run r = check("--model", reluConfig().toString(), "--data", csv.toString(), "--label-column", "0",
                "--iterations", "10", "--batch", "16");

        assertThat(r.code()).as(r.all()).isIn(0, 1);
        assertThat(r.out()).contains("first line read as a header and skipped (label,feature, number 0,");
    }

    @Test
    void aFirstLineWithSomeNumbersIsNoHeaderAndIsNamedWithTheWayOut() throws IOException {
        StringBuilder text = new StringBuilder("label");
        for (int f = 0; f < 20; f++) {
            text.append(',').append(f); // numeric column names: not recognized, the user decides
        }
        text.append('\n');
        for (int r = 0; r < 4; r++) {
            text.append(r % 4);
            for (int f = 0; f < 20; f++) {
                text.append(",0.5");
            }
            text.append('\n');
        }
        Path csv = write(dir, "numbered.csv", text.toString());
        assertThat(CheckData.csvHeader(csv)).isEmpty();
        assertBadInput(check("--model", reluConfig().toString(), "--data", csv.toString(), "--label-column", "0"),
                csv + ": line 1, column 1: 'label' is not a number (a header line? skip it with --skip-lines 1)");
    }

    @Test
    void noHeaderIsSeenInNumbersOrInTwoTextLines() throws IOException {
        assertThat(CheckData.csvHeader(write(dir, "numbers.csv", "1,2,3\n4,5,6\n"))).isEmpty();
        assertThat(CheckData.csvHeader(write(dir, "words.csv", "a,b,c\nd,e,f\n"))).isEmpty();
        assertThat(CheckData.csvHeader(write(dir, "one.csv", "a,b,c\n"))).isEmpty();
        assertThat(CheckData.csvHeader(write(dir, "ragged.csv", "a,b,c\n1,2\n"))).isEmpty();
        assertThat(CheckData.csvHeader(write(dir, "header.csv", "x1, x2 ,y\n0.1,-2e3,1\n"))).contains("x1,x2,y");
    }

    @Test
    void badCellIsNamedByFileLineAndColumn() throws IOException {
        StringBuilder csv = new StringBuilder();
        for (int r = 0; r < 3; r++) {
            for (int f = 0; f < 20; f++) {
                csv.append(r == 2 && f == 6 ? "x5" : "0.5").append(',');
            }
            csv.append("1\n");
        }
        Path data = write(dir, "d.csv", csv.toString());
        assertBadInput(check("--model", reluConfig().toString(), "--data", data.toString()),
                data + ": line 3, column 7: 'x5' is not a number");
    }

    @Test
    void nonFiniteCellIsAnErrorNotATrainingRun() throws IOException {
        StringBuilder csv = new StringBuilder();
        for (int r = 0; r < 3; r++) {
            for (int f = 0; f < 20; f++) {
                csv.append(r == 1 && f == 0 ? "NaN" : "0.5").append(',');
            }
            csv.append("1\n");
        }
        Path data = write(dir, "d.csv", csv.toString());
        assertBadInput(check("--model", reluConfig().toString(), "--data", data.toString()),
                data + ": line 2, column 1: 'NaN' is not finite");
    }

    @Test
    void csvOfTheWrongWidthOrLabelIsBadInput() throws IOException {
        Path narrow = write(dir, "n.csv", "1,2,3,0\n4,5,6,1\n");
        assertBadInput(check("--model", reluConfig().toString(), "--data", narrow.toString()),
                "--data has 3 feature columns (4 columns minus 1 label column) but the model takes 20 inputs");
        StringBuilder csv = new StringBuilder();
        for (int f = 0; f < 20; f++) {
            csv.append("0.5,");
        }
        Path badLabel = write(dir, "l.csv", csv + "7\n");
        assertBadInput(check("--model", reluConfig().toString(), "--data", badLabel.toString()),
                badLabel + ": line 1, column 21: label 7 is not a class index in [0, 4)");
        Path ragged = write(dir, "r.csv", csv + "1\n" + "1,2\n");
        assertBadInput(check("--model", reluConfig().toString(), "--data", ragged.toString()),
                ragged + ": line 2 has 2 columns, line 1 has 21");
    }

    @Test
    void sequenceFilesBecomeMaskedSequences() throws IOException {
        Path seq = dir.resolve("seq");
        int[] lengths = {5, 7, 6};
        Random random = new Random(5);
        for (int s = 0; s < lengths.length; s++) {
            StringBuilder b = new StringBuilder("a,b,c,label\n");
            for (int t = 0; t < lengths[s]; t++) {
                b.append(random.nextGaussian()).append(',').append(random.nextGaussian()).append(',')
                        .append(random.nextGaussian()).append(',').append(t % 2).append('\n');
            }
            write(seq, "s" + s + ".csv", b.toString());
        }
        Path config = write(dir, "lstm.json", TestModels.lstm(3, 2).toJson());
        CheckModel model = CheckModel.load(config, List.of(), 20);

        List<MultiDataSet> batches = CheckData.read(new CheckData.Source(seq, CheckData.detect(seq), 1, -1, 8, 1000,
                1), model);
        Run r = check("--model", config.toString(), "--data", seq.toString(), "--skip-lines", "1", "--iterations",
                "6");

        assertThat(CheckData.detect(seq)).isEqualTo(CheckData.Kind.SEQUENCES);
        assertThat(batches).hasSize(1);
        assertThat(batches.get(0).getFeatures(0).shape()).containsExactly(3, 3, 7);
        assertThat(batches.get(0).getFeaturesMaskArray(0).sumNumber().intValue()).isEqualTo(5 + 7 + 6);
        assertThat(r.code()).as(r.all()).isIn(0, 1);
        assertThat(r.out()).doesNotContain("not measured");
    }

    @Test
    void badCellInASequenceFileIsNamedByFileAndLine() throws IOException {
        Path seq = dir.resolve("seq");
        write(seq, "s0.csv", "0.1,0.2,0.3,1\n0.1,0.2,0.3,0\n");
        Path bad = write(seq, "s1.csv", "0.1,0.2,0.3,1\n0.1,oops,0.3,0\n");
        Path config = write(dir, "lstm.json", TestModels.lstm(3, 2).toJson());
        assertBadInput(check("--model", config.toString(), "--data", seq.toString()),
                bad + ": line 2, column 2: 'oops' is not a number");
    }

    private Path images(int perClass, int size) throws IOException {
        Path root = dir.resolve("images");
        Random random = new Random(9);
        for (String label : new String[] {"cat", "dog", "fox"}) {
            Files.createDirectories(root.resolve(label));
            for (int i = 0; i < perClass; i++) {
                BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        img.setRGB(x, y, random.nextInt(0xFFFFFF));
                    }
                }
                ImageIO.write(img, "png", root.resolve(label).resolve(i + ".png").toFile());
            }
        }
        return root;
    }

    @Test
    void imageFolderGivesOneClassPerSubFolderAndMinmaxScalesPixels() throws IOException {
        Path root = images(4, 8);
        Path config = write(dir, "cnn.json", TestModels.cnn(8, 8, 3, 3).toJson());
        CheckModel model = CheckModel.load(config, List.of(ShapeOption.parse("8,8,3")), 20);

        List<MultiDataSet> raw = CheckData.read(new CheckData.Source(root, CheckData.detect(root), 0, -1, 12, 1000,
                1), model);
        List<MultiDataSet> scaled = CheckData.read(new CheckData.Source(root, CheckData.Kind.IMAGES, 0, -1, 12, 1000,
                1), model);
        CheckData.normalize(scaled, CheckData.Normalize.MINMAX, true);
        Run r = check("--model", config.toString(), "--input-shape", "8,8,3", "--data", root.toString(),
                "--normalize", "minmax", "--iterations", "6", "--batch", "6");

        assertThat(CheckData.detect(root)).isEqualTo(CheckData.Kind.IMAGES);
        assertThat(raw).hasSize(1);
        assertThat(raw.get(0).getFeatures(0).shape()).containsExactly(12, 3, 8, 8);
        assertThat(raw.get(0).getLabels(0).sum(0).toDoubleVector()).containsExactly(4, 4, 4);
        assertThat(raw.get(0).getFeatures(0).maxNumber().doubleValue()).isGreaterThan(200);
        double max = raw.get(0).getFeatures(0).maxNumber().doubleValue();
        assertThat(scaled.get(0).getFeatures(0).maxNumber().doubleValue()).isCloseTo(max / 255, within(1e-5));
        assertThat(r.code()).as(r.all()).isIn(0, 1);
        assertThat(r.out()).contains("normalized (minmax)").doesNotContain("not measured");
    }

    @Test
    void unreadableImageIsNamed() throws IOException {
        Path root = images(1, 8);
        Path broken = write(root, "dog/broken.png", "this is not a PNG");
        Path config = write(dir, "cnn.json", TestModels.cnn(8, 8, 3, 3).toJson());
        assertBadInput(check("--model", config.toString(), "--input-shape", "8,8,3", "--data", root.toString()),
                broken + ": not a readable image");
    }

    @Test
    void imageClassCountMustMatchTheOutput() throws IOException {
        Path root = images(1, 8);
        Path config = write(dir, "cnn.json", TestModels.cnn(8, 8, 3, 5).toJson());
        assertBadInput(check("--model", config.toString(), "--input-shape", "8,8,3", "--data", root.toString()),
                "--data has 3 class folders [cat, dog, fox] but the output 'output' has 5 classes");
    }

    @Test
    void standardizeCentersEveryFeature() throws IOException {
        List<MultiDataSet> batches = new ArrayList<>();
        Random random = new Random(2);
        double[][] x = new double[40][3];
        for (int b = 0; b < 4; b++) {
            double[][] rows = new double[10][3];
            for (int i = 0; i < 10; i++) {
                rows[i] = new double[] {5 + random.nextGaussian(), 1000 * random.nextGaussian(), -3};
                x[b * 10 + i] = rows[i];
            }
            batches.add(new MultiDataSet(Nd4j.create(rows),
                    Nd4j.zeros(10, 1)));
        }
        CheckData.normalize(batches, CheckData.Normalize.STANDARDIZE, false);
        for (int f = 0; f < 2; f++) {
            double mean = 0;
            for (double[] row : x) {
                mean += row[f] / x.length;
            }
            double var = 0;
            for (double[] row : x) {
                var += (row[f] - mean) * (row[f] - mean) / x.length;
            }
            double expected = (x[7][f] - mean) / Math.sqrt(var);
            assertThat(batches.get(0).getFeatures(0).getDouble(7, f)).isCloseTo(expected, within(1e-3));
        }
    }
}
