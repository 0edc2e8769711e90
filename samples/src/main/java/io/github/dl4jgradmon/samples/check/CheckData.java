package io.github.dl4jgradmon.samples.check;

import io.github.dl4jgradmon.samples.check.CheckModel.InputKind;
import io.github.dl4jgradmon.samples.check.CheckModel.InputShape;
import io.github.dl4jgradmon.samples.check.CheckModel.OutputSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The minibatches the check tool trains on: synthetic ones shaped for the model, or rows of a numeric CSV. */
final class CheckData {

    /** Distinct synthetic minibatches; training cycles through them. */
    static final int SYNTHETIC_BATCHES = 16;

    private CheckData() {
    }

    /**
     * Gaussian features; targets from a fixed random linear map of them ("teacher"), so the problem is learnable:
     * its arg-max one-hot for softmax outputs, its sign as 0/1 for sigmoid outputs, the values for regression.
     */
    static List<DataSet> synthetic(CheckModel model, long seed, int batch) {
        InputShape in = model.input();
        OutputSpec out = model.output();
        Nd4j.getRandom().setSeed(seed);
        INDArray teacher = Nd4j.randn(DataType.FLOAT, in.size(), out.nOut()).divi(Math.sqrt(in.size()));
        List<DataSet> batches = new ArrayList<>(SYNTHETIC_BATCHES);
        for (int b = 0; b < SYNTHETIC_BATCHES; b++) {
            if (in.kind() == InputKind.RECURRENT) {
                INDArray x = Nd4j.randn(DataType.FLOAT, batch, in.size(), in.steps());
                INDArray y;
                if (out.perStep()) {
                    y = Nd4j.zeros(DataType.FLOAT, batch, out.nOut(), in.steps());
                    for (int t = 0; t < in.steps(); t++) {
                        y.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t))
                                .assign(targets(step(x, t).mmul(teacher), out));
                    }
                } else {
                    y = targets(step(x, in.steps() - 1).mmul(teacher), out);
                }
                batches.add(new DataSet(x, y));
            } else {
                INDArray x = Nd4j.randn(DataType.FLOAT, batch, in.size());
                batches.add(new DataSet(x, targets(x.mmul(teacher), out)));
            }
        }
        return batches;
    }

    private static INDArray step(INDArray x, int t) {
        return x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t)).dup();
    }

    private static INDArray targets(INDArray scores, OutputSpec out) {
        if (out.softmax()) {
            INDArray y = Nd4j.zeros(DataType.FLOAT, scores.rows(), scores.columns());
            INDArray argMax = scores.argMax(1);
            for (int i = 0; i < scores.rows(); i++) {
                y.putScalar(i, argMax.getInt(i), 1.0);
            }
            return y;
        }
        if (out.sigmoid()) {
            return scores.gt(0).castTo(DataType.FLOAT);
        }
        return scores;
    }

    /**
     * Rows of a numeric CSV (comma-separated; a first row with a non-numeric cell is a header), cut into minibatches
     * in file order. Feed-forward (or flat image) inputs only.
     */
    static List<DataSet> csv(Path path, int labelColumnOrMinus1, CheckModel model, int batch) {
        if (!Files.isRegularFile(path)) {
            throw new BadInputException("--data file not found: " + path.toAbsolutePath());
        }
        InputShape in = model.input();
        OutputSpec out = model.output();
        if (in.kind() == InputKind.RECURRENT) {
            throw new BadInputException("--data works with feed-forward inputs only; the model's input is "
                    + in.describe());
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(path);
        } catch (IOException e) {
            throw new BadInputException("--data cannot be read: " + path + " (" + e.getMessage() + ")");
        }
        List<double[]> rows = new ArrayList<>();
        int width = -1;
        int widthLine = 0;
        for (int li = 0; li < lines.size(); li++) {
            String line = lines.get(li).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (rows.isEmpty() && width < 0 && !allNumeric(cells)) {
                width = cells.length; // header
                widthLine = li + 1;
                continue;
            }
            if (width >= 0 && cells.length != width) {
                throw new BadInputException("--data line " + (li + 1) + " has " + cells.length + " columns, line "
                        + widthLine + " has " + width + ": " + path);
            }
            width = cells.length;
            widthLine = widthLine == 0 ? li + 1 : widthLine;
            double[] row = new double[cells.length];
            for (int c = 0; c < cells.length; c++) {
                try {
                    row[c] = Double.parseDouble(cells[c].strip());
                } catch (NumberFormatException e) {
                    throw new BadInputException("--data line " + (li + 1) + ", column " + c + ": '" + cells[c].strip()
                            + "' is not a number: " + path);
                }
            }
            rows.add(row);
        }
        if (rows.isEmpty()) {
            throw new BadInputException("--data has no data rows: " + path);
        }
        int label = labelColumnOrMinus1 < 0 ? width - 1 : labelColumnOrMinus1;
        if (label >= width) {
            throw new BadInputException("--label-column " + label + " is outside the " + width + " columns of --data "
                    + "(columns count from 0)");
        }
        if (width - 1 != in.size()) {
            throw new BadInputException("--data has " + (width - 1) + " feature columns (" + width
                    + " columns minus the label column) but the model takes " + in.size() + " inputs ("
                    + in.describe() + ")");
        }
        if (!out.softmax() && out.nOut() != 1) {
            throw new BadInputException("--data has one label column but the output layer predicts " + out.nOut()
                    + " values; check supports CSV labels for softmax classifiers and single-output models");
        }
        List<DataSet> batches = new ArrayList<>();
        for (int start = 0; start < rows.size(); start += batch) {
            int n = Math.min(batch, rows.size() - start);
            INDArray x = Nd4j.zeros(DataType.FLOAT, n, width - 1);
            INDArray y = Nd4j.zeros(DataType.FLOAT, n, out.nOut());
            for (int i = 0; i < n; i++) {
                double[] row = rows.get(start + i);
                for (int c = 0, f = 0; c < width; c++) {
                    if (c != label) {
                        x.putScalar(i, f++, row[c]);
                    }
                }
                double v = row[label];
                if (out.softmax()) {
                    if (v != Math.rint(v) || v < 0 || v >= out.nOut()) {
                        throw new BadInputException("--data row " + (start + i + 1) + ": label " + v + " is not a "
                                + "class index in [0, " + out.nOut() + ") of the softmax output");
                    }
                    y.putScalar(i, (int) v, 1.0);
                } else {
                    y.putScalar(i, 0, v);
                }
            }
            batches.add(new DataSet(x, y));
        }
        return batches;
    }

    private static boolean allNumeric(String[] cells) {
        for (String c : cells) {
            try {
                Double.parseDouble(c.strip());
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }
}
