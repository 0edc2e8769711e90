package io.github.dl4jgradmon.cli.check;

import io.github.dl4jgradmon.cli.SyntheticData;
import io.github.dl4jgradmon.cli.check.CheckModel.OutputSpec;
import io.github.dl4jgradmon.internal.util.Text;
import org.datavec.api.io.labels.ParentPathLabelGenerator;
import org.datavec.api.records.Record;
import org.datavec.api.records.SequenceRecord;
import org.datavec.api.records.metadata.RecordMetaDataLine;
import org.datavec.api.records.reader.impl.csv.CSVRecordReader;
import org.datavec.api.records.reader.impl.csv.CSVSequenceRecordReader;
import org.datavec.api.split.CollectionInputSplit;
import org.datavec.api.split.FileSplit;
import org.datavec.api.writable.Writable;
import org.datavec.image.loader.NativeImageLoader;
import org.datavec.image.recordreader.ImageRecordReader;
import org.deeplearning4j.datasets.datavec.RecordReaderDataSetIterator;
import org.deeplearning4j.datasets.datavec.SequenceRecordReaderDataSetIterator;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.dataset.api.preprocessor.ImagePreProcessingScaler;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerMinMaxScaler;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The minibatches a check trains on: synthetic ones shaped for the model, or real data read with DataVec (a CSV file,
 * a folder of sequence CSVs, a folder of images with one sub-folder per class), optionally normalized with ND4J's
 * normalizers. Every cell is checked before training: a bad cell is named by file, line and column.
 */
final class CheckData {

    /** Distinct synthetic minibatches; training cycles through them. */
    static final int SYNTHETIC_BATCHES = 16;

    enum Kind { CSV, SEQUENCES, IMAGES }

    enum Normalize { STANDARDIZE, MINMAX, NONE }

    private CheckData() {
    }

    // ------------------------------------------------------------------------------------------------ synthetic

    /**
     * Gaussian features; targets from a fixed random linear map of all inputs' features ("teacher"), so the problem
     * is learnable: its arg-max one-hot for softmax outputs, 0/1 by sign for [0, 1] outputs, the values otherwise.
     * Outputs of rank 3 or 4 get per-step (per-pixel) targets of the same kind. Drawn by {@link SyntheticData} from
     * {@code seed}, as the samples and the detection corpus are.
     */
    static List<MultiDataSet> synthetic(CheckModel model, long seed, int batch) {
        Random r = new Random(seed);
        List<InputSpec> inputs = model.inputs();
        long flat = inputs.stream().mapToLong(InputSpec::valuesPerExample).sum();
        List<INDArray> teachers = new ArrayList<>();
        for (OutputSpec out : model.outputs()) {
            teachers.add(SyntheticData.gaussian(r, new long[] {flat, out.nOut()}, 1 / Math.sqrt(flat)));
        }
        List<MultiDataSet> batches = new ArrayList<>(SYNTHETIC_BATCHES);
        for (int b = 0; b < SYNTHETIC_BATCHES; b++) {
            INDArray[] x = new INDArray[inputs.size()];
            INDArray[] flatX = new INDArray[inputs.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = SyntheticData.gaussian(r, inputs.get(i).shape(batch), 1.0);
                flatX[i] = x[i].reshape('c', batch, inputs.get(i).valuesPerExample());
            }
            INDArray features = flatX.length == 1 ? flatX[0] : Nd4j.hstack(flatX);
            INDArray[] y = new INDArray[model.outputs().size()];
            for (int o = 0; o < y.length; o++) {
                OutputSpec out = model.outputs().get(o);
                INDArray scores = features.mmul(teachers.get(o));
                y[o] = out.rank() == 2 ? targets(scores, out) : spread(r, scores, out, batch);
            }
            batches.add(new MultiDataSet(x, y));
        }
        return batches;
    }

    /** Rank-3/4 targets: the example's scores plus noise at every position, turned into targets on the class axis. */
    private static INDArray spread(Random r, INDArray scores, OutputSpec out, int batch) {
        long[] shape = out.shape().clone();
        shape[0] = batch;
        INDArray noise = SyntheticData.gaussian(r, shape, 0.5);
        int[] keep = new int[shape.length - 2];
        for (int d = 1, k = 0; d < shape.length; d++) {
            if (d != out.classAxis()) {
                keep[k++] = d;
            }
        }
        long[] bshape = new long[shape.length];
        Arrays.fill(bshape, 1);
        bshape[0] = batch;
        bshape[out.classAxis()] = out.nOut();
        INDArray s = noise.addi(scores.reshape(bshape).broadcast(shape));
        if (out.softmax()) {
            INDArray arg = s.argMax(out.classAxis());
            INDArray y = Nd4j.zeros(DataType.FLOAT, shape);
            for (long c = 0; c < out.nOut(); c++) {
                INDArray hit = arg.eq(c).castTo(DataType.FLOAT);
                y.get(index(shape.length, out.classAxis(), c)).assign(hit);
            }
            return y;
        }
        return out.range() == CheckModel.Range.ZERO_ONE ? s.gt(0).castTo(DataType.FLOAT) : s;
    }

    private static INDArrayIndex[] index(int rank, int axis, long at) {
        INDArrayIndex[] idx = new INDArrayIndex[rank];
        for (int d = 0; d < rank; d++) {
            idx[d] = d == axis ? NDArrayIndex.point(at) : NDArrayIndex.all();
        }
        return idx;
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
        return switch (out.range()) {
            case ZERO_ONE -> scores.gt(0).castTo(DataType.FLOAT);
            case MINUS_ONE_ONE -> Nd4j.math().tanh(scores);
            case NON_NEGATIVE -> Nd4j.math().abs(scores);
            default -> scores;
        };
    }

    // ------------------------------------------------------------------------------------------------ real data

    /** Which reader a path needs: a file is a CSV; a folder of sub-folders is images; a folder of files, sequences. */
    static Kind detect(Path path) {
        if (Files.isRegularFile(path)) {
            return Kind.CSV;
        }
        if (!Files.isDirectory(path)) {
            throw new BadInputException("--data not found: " + path.toAbsolutePath());
        }
        try (Stream<Path> s = Files.list(path)) {
            return s.anyMatch(Files::isDirectory) ? Kind.IMAGES : Kind.SEQUENCES;
        } catch (IOException e) {
            throw new BadInputException("--data folder cannot be listed: " + path + " (" + e.getMessage() + ")");
        }
    }

    /** Reading options shared by the readers. */
    record Source(Path path, Kind kind, int skipLines, int labelColumn, int batch, long maxExamples, long seed) {
    }

    static List<MultiDataSet> read(Source src, CheckModel model) {
        if (model.inputs().size() != 1 || model.outputs().size() != 1) {
            throw new BadInputException("--data works with models of one input and one output; this graph has "
                    + model.inputs().size() + " inputs and " + model.outputs().size() + " outputs (leave out --data "
                    + "to check it on synthetic data)");
        }
        return switch (src.kind()) {
            case CSV -> csv(src, model.inputs().get(0), model.outputs().get(0));
            case SEQUENCES -> sequences(src, model.inputs().get(0), model.outputs().get(0));
            case IMAGES -> images(src, model.inputs().get(0), model.outputs().get(0));
        };
    }

    // CSV: one example per line ---------------------------------------------------------------------------------

    private static List<MultiDataSet> csv(Source src, InputSpec in, OutputSpec out) {
        if (in.kind() == InputSpec.Kind.RECURRENT) {
            throw new BadInputException("--data " + src.path() + " is a CSV file (one example per line) but the "
                    + "model's input is " + in.describe() + "; give a folder with one CSV file per sequence");
        }
        if (out.rank() != 2) {
            throw new BadInputException("--data CSV rows carry one label, but the model's output '" + out.name()
                    + "' (" + out.layerType() + ") has rank " + out.rank());
        }
        Labels labels = Labels.of(out, src.labelColumn());
        List<double[]> rows = new ArrayList<>();
        int width = -1;
        int widthLine = -1;
        long columns = in.size() + labels.count();
        CsvLines.check(src.path(), src.skipLines() + src.maxExamples(), CsvLines.limit(columns),
                "rows of " + columns + " columns");
        int skip = src.skipLines() == 0 && csvHeader(src.path()).isPresent() ? 1 : src.skipLines();
        CSVRecordReader reader = new CSVRecordReader(skip, ',', '"');
        String file = src.path().toString();
        try {
            reader.initialize(new FileSplit(src.path().toFile()));
            while (reader.hasNext() && rows.size() < src.maxExamples()) {
                Record r;
                try {
                    r = reader.nextRecord();
                } catch (RuntimeException e) {
                    throw new BadInputException("--data " + file + ": after line " + (widthLine < 0 ? src.skipLines()
                            : widthLine) + ": not valid CSV (" + CheckModel.firstLine(e) + ")");
                }
                int line = ((RecordMetaDataLine) r.getMetaData()).getLineNumber() + 1;
                List<Writable> cells = r.getRecord();
                if (width >= 0 && cells.size() != width) {
                    throw new BadInputException("--data " + file + ": line " + line + " has " + cells.size()
                            + " columns, line " + widthLine + " has " + width);
                }
                if (width < 0) {
                    width = cells.size();
                    widthLine = line;
                    labels.checkWidth(width, file);
                    if (width - labels.count() != in.size()) {
                        throw new BadInputException("--data has " + (width - labels.count()) + " feature columns ("
                                + width + " columns minus " + labels.count() + " label column"
                                + (labels.count() == 1 ? "" : "s") + ") but the model takes " + in.size()
                                + " inputs (" + in.describe() + ")");
                    }
                }
                double[] row = new double[width];
                for (int c = 0; c < width; c++) {
                    row[c] = cell(file, line, c, cells.get(c).toString(), skip == 0 && line == 1);
                }
                labels.check(row, file, line);
                rows.add(row);
            }
        } catch (IOException | InterruptedException e) {
            throw new BadInputException("--data cannot be read: " + file + " (" + e.getMessage() + ")");
        }
        if (rows.isEmpty()) {
            throw new BadInputException("--data has no data rows: " + file + (src.skipLines() > 0 ? " (after "
                    + src.skipLines() + " skipped line" + (src.skipLines() == 1 ? "" : "s") + ")" : ""));
        }
        List<MultiDataSet> batches = new ArrayList<>();
        for (int start = 0; start < rows.size(); start += src.batch()) {
            int n = Math.min(src.batch(), rows.size() - start);
            INDArray x = Nd4j.zeros(DataType.FLOAT, n, in.size());
            INDArray y = Nd4j.zeros(DataType.FLOAT, n, out.nOut());
            for (int i = 0; i < n; i++) {
                double[] row = rows.get(start + i);
                for (int c = 0, f = 0; c < row.length; c++) {
                    if (!labels.isLabel(c, row.length)) {
                        x.putScalar(i, f++, row[c]);
                    }
                }
                labels.put(y, i, row);
            }
            batches.add(new MultiDataSet(shapeFeatures(x, in), y));
        }
        return batches;
    }

    /**
     * The first line of a CSV file when it is a header: every cell of it is text (not a number) and every cell of the
     * second line is a number, with as many cells. Read with the same CSV rules as the data (quotes, commas inside
     * them); empty when the file has fewer than two lines or they do not fit that shape ({@code --skip-lines} is for
     * other cases).
     */
    static Optional<String> csvHeader(Path path) {
        CSVRecordReader reader = new CSVRecordReader(0, ',', '"');
        try {
            reader.initialize(new FileSplit(path.toFile()));
            if (!reader.hasNext()) {
                return Optional.empty();
            }
            List<Writable> first = reader.next();
            if (!reader.hasNext()) {
                return Optional.empty();
            }
            List<Writable> second = reader.next();
            if (first.isEmpty() || first.size() != second.size()
                    || !first.stream().allMatch(w -> isText(w.toString()))
                    || !second.stream().allMatch(w -> isNumber(w.toString()))) {
                return Optional.empty();
            }
            return Optional.of(String.join(",", first.stream().map(w -> abbreviate(w.toString())).toList()));
        } catch (IOException | InterruptedException | RuntimeException e) {
            return Optional.empty(); // the data's own reading names what is wrong with the file
        } finally {
            try {
                reader.close();
            } catch (IOException ignored) {
                // a reader of a local file: nothing held
            }
        }
    }

    private static boolean isNumber(String cell) {
        try {
            Double.parseDouble(cell.strip());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isText(String cell) {
        return !cell.isBlank() && !isNumber(cell);
    }

    /** Flat CSV rows for a convolutional input: each row holds C*H*W values in channel-first order. */
    private static INDArray shapeFeatures(INDArray x, InputSpec in) {
        if (in.kind() != InputSpec.Kind.CONVOLUTIONAL) {
            return x;
        }
        INDArray nchw = x.reshape('c', x.rows(), in.channels(), in.height(), in.width());
        return in.channelsLast() ? nchw.permute(0, 2, 3, 1).dup('c') : nchw;
    }

    private static double cell(String file, int line, int column, String text, boolean firstLine) {
        double v;
        try {
            v = Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw new BadInputException("--data " + file + ": line " + line + ", column " + (column + 1) + ": '"
                    + abbreviate(text) + "' is not a number" + (firstLine ? " (a header line? skip it with "
                    + "--skip-lines 1)" : ""));
        }
        if (!Double.isFinite(v)) {
            throw new BadInputException("--data " + file + ": line " + line + ", column " + (column + 1) + ": '"
                    + abbreviate(text) + "' is not finite; NaN and Inf cells would poison training, fix or drop "
                    + "the row");
        }
        return v;
    }

    private static String abbreviate(String s) {
        String t = s.strip();
        return t.length() <= 40 ? t : t.substring(0, 37) + "...";
    }

    /** Which columns hold labels and how they become targets. */
    private record Labels(OutputSpec out, int first, int count, boolean classIndex) {

        static Labels of(OutputSpec out, int column) {
            boolean classIndex = out.softmax();
            return new Labels(out, column, classIndex ? 1 : (int) out.nOut(), classIndex);
        }

        void checkWidth(int width, String file) {
            int from = first < 0 ? width - count : first;
            if (from < 0 || from + count > width) {
                throw new BadInputException("--label-column " + first + " does not fit the " + width + " columns of "
                        + file + " (" + count + " label column" + (count == 1 ? "" : "s") + " needed; columns count "
                        + "from 0)");
            }
        }

        int from(int width) {
            return first < 0 ? width - count : first;
        }

        boolean isLabel(int c, int width) {
            int from = from(width);
            return c >= from && c < from + count;
        }

        void check(double[] row, String file, int line) {
            if (!classIndex) {
                return;
            }
            int c = from(row.length);
            double v = row[c];
            if (v != Math.rint(v) || v < 0 || v >= out.nOut()) {
                throw new BadInputException("--data " + file + ": line " + line + ", column " + (c + 1) + ": label "
                        + Text.significant(v) + " is not a class index in [0, " + out.nOut() + ") of the softmax output");
            }
        }

        void put(INDArray y, int i, double[] row) {
            int from = from(row.length);
            if (classIndex) {
                y.putScalar(i, (int) row[from], 1.0);
            } else {
                for (int k = 0; k < count; k++) {
                    y.putScalar(i, k, row[from + k]);
                }
            }
        }
    }

    // Sequences: one CSV file per sequence, one time step per line ----------------------------------------------

    private static List<MultiDataSet> sequences(Source src, InputSpec in, OutputSpec out) {
        if (in.kind() != InputSpec.Kind.RECURRENT) {
            throw new BadInputException("--data " + src.path() + " is a folder of sequence files but the model's "
                    + "input is " + in.describe() + "; give a CSV file");
        }
        if (!out.softmax() && out.nOut() != 1) {
            throw new BadInputException("--data sequences carry one label column per step; the output '"
                    + out.name() + "' predicts " + out.nOut() + " values (supported: softmax classes or one value)");
        }
        List<URI> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(src.path())) {
            s.filter(Files::isRegularFile).sorted().limit(src.maxExamples()).forEach(p -> files.add(p.toUri()));
        } catch (IOException e) {
            throw new BadInputException("--data folder cannot be listed: " + src.path() + " (" + e.getMessage() + ")");
        }
        if (files.isEmpty()) {
            throw new BadInputException("--data folder has no sequence files: " + src.path());
        }
        CSVSequenceRecordReader check = new CSVSequenceRecordReader(src.skipLines(), ",");
        int width = -1;
        String widthFile = null;
        int labelCol = -1;
        try {
            check.initialize(new CollectionInputSplit(files));
            for (URI uri : files) {
                String file = new File(uri).getPath();
                CsvLines.check(Path.of(uri), Long.MAX_VALUE, CsvLines.limit(in.size() + 1L),
                        "steps of " + (in.size() + 1) + " columns");
                SequenceRecord seq;
                try {
                    seq = check.nextSequence();
                } catch (RuntimeException e) {
                    throw new BadInputException("--data " + file + ": not valid CSV (" + CheckModel.firstLine(e)
                            + ")");
                }
                List<List<Writable>> steps = seq.getSequenceRecord();
                if (steps.isEmpty()) {
                    throw new BadInputException("--data " + file + ": no time steps (an empty sequence file)");
                }
                for (int t = 0; t < steps.size(); t++) {
                    int line = src.skipLines() + t + 1;
                    List<Writable> cells = steps.get(t);
                    if (width < 0) {
                        width = cells.size();
                        widthFile = file;
                        labelCol = src.labelColumn() < 0 ? width - 1 : src.labelColumn();
                        if (labelCol >= width) {
                            throw new BadInputException("--label-column " + labelCol + " is outside the " + width
                                    + " columns of " + file + " (columns count from 0)");
                        }
                        if (width - 1 != in.size()) {
                            throw new BadInputException("--data sequences have " + (width - 1) + " feature columns ("
                                    + width + " columns minus the label column) but the model takes " + in.size()
                                    + " inputs per step");
                        }
                    } else if (cells.size() != width) {
                        throw new BadInputException("--data " + file + ": line " + line + " has " + cells.size()
                                + " columns, " + widthFile + " has " + width);
                    }
                    for (int c = 0; c < width; c++) {
                        double v = cell(file, line, c, cells.get(c).toString(), src.skipLines() == 0 && line == 1);
                        if (c == labelCol && out.softmax() && (v != Math.rint(v) || v < 0 || v >= out.nOut())) {
                            throw new BadInputException("--data " + file + ": line " + line + ", column " + (c + 1)
                                    + ": label " + Text.significant(v) + " is not a class index in [0, " + out.nOut() + ")");
                        }
                    }
                }
            }
        } catch (IOException | InterruptedException e) {
            throw new BadInputException("--data cannot be read: " + src.path() + " (" + e.getMessage() + ")");
        }
        CSVSequenceRecordReader reader = new CSVSequenceRecordReader(src.skipLines(), ",");
        try {
            reader.initialize(new CollectionInputSplit(files));
        } catch (IOException | InterruptedException e) {
            throw new BadInputException("--data cannot be read: " + src.path() + " (" + e.getMessage() + ")");
        }
        DataSetIterator it = new SequenceRecordReaderDataSetIterator(reader, src.batch(),
                out.softmax() ? (int) out.nOut() : -1, labelCol, !out.softmax());
        List<MultiDataSet> batches = new ArrayList<>();
        while (it.hasNext()) {
            DataSet d = it.next();
            INDArray x = d.getFeatures();
            INDArray y = d.getLabels();
            INDArray lm = d.getLabelsMaskArray();
            if (out.rank() == 2) {
                y = lastStep(y, lm);
                lm = null;
            } else if (out.classAxis() == 2) {
                y = y.permute(0, 2, 1).dup('c');
            }
            if (in.channelsLast()) {
                x = x.permute(0, 2, 1).dup('c');
            }
            batches.add(new MultiDataSet(new INDArray[] {x}, new INDArray[] {y},
                    d.getFeaturesMaskArray() == null ? null : new INDArray[] {d.getFeaturesMaskArray()},
                    lm == null ? null : new INDArray[] {lm}));
        }
        return batches;
    }

    /** A sequence classifier (rank-2 output) learns the label of each sequence's last step. */
    private static INDArray lastStep(INDArray y, INDArray mask) {
        long n = y.size(0);
        long steps = y.size(2);
        INDArray out = Nd4j.zeros(DataType.FLOAT, n, y.size(1));
        for (int i = 0; i < n; i++) {
            long last = steps - 1;
            if (mask != null) {
                while (last > 0 && mask.getDouble(i, last) == 0) {
                    last--;
                }
            }
            out.getRow(i).assign(y.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.point(last)));
        }
        return out;
    }

    // Images: one sub-folder per class ---------------------------------------------------------------------------

    private static List<MultiDataSet> images(Source src, InputSpec in, OutputSpec out) {
        if (!in.isImage()) {
            throw new BadInputException("--data " + src.path() + " is a folder of class folders (images) but the "
                    + "model's input is " + in.describe());
        }
        if (!out.softmax() || out.rank() != 2) {
            throw new BadInputException("--data image folders give class labels; the output '" + out.name()
                    + "' is not a softmax classifier");
        }
        FileSplit split = new FileSplit(src.path().toFile(), NativeImageLoader.ALLOWED_FORMATS, new Random(src.seed()));
        if (split.length() == 0) {
            throw new BadInputException("--data folder has no images (" + String.join(", ",
                    NativeImageLoader.ALLOWED_FORMATS) + ") in its class folders: " + src.path());
        }
        NativeImageLoader loader = new NativeImageLoader(in.height(), in.width(), in.channels());
        for (URI uri : split.locations()) {
            File f = new File(uri);
            try {
                INDArray img = loader.asMatrix(f);
                if (img == null || img.length() != in.height() * in.width() * in.channels()) {
                    throw new IOException("decoded to the wrong size");
                }
            } catch (IOException | RuntimeException e) {
                throw new BadInputException("--data " + f.getPath() + ": not a readable image ("
                        + CheckModel.firstLine(e) + ")");
            }
        }
        ImageRecordReader reader = new ImageRecordReader(in.height(), in.width(), in.channels(),
                new ParentPathLabelGenerator());
        try {
            reader.initialize(split);
        } catch (IOException e) {
            throw new BadInputException("--data cannot be read: " + src.path() + " (" + e.getMessage() + ")");
        }
        int classes = reader.getLabels().size();
        if (classes != out.nOut()) {
            throw new BadInputException("--data has " + classes + " class folders " + reader.getLabels()
                    + " but the output '" + out.name() + "' has " + out.nOut() + " classes");
        }
        DataSetIterator it = new RecordReaderDataSetIterator(reader, src.batch(), 1, classes);
        List<MultiDataSet> batches = new ArrayList<>();
        long seen = 0;
        while (it.hasNext() && seen < src.maxExamples()) {
            DataSet d = it.next();
            seen += d.numExamples();
            INDArray x = d.getFeatures(); // NCHW
            if (in.kind() == InputSpec.Kind.CONVOLUTIONAL_FLAT) {
                x = x.reshape('c', x.size(0), in.size());
            } else if (in.channelsLast()) {
                x = x.permute(0, 2, 3, 1).dup('c');
            }
            batches.add(new MultiDataSet(x, d.getLabels()));
        }
        return batches;
    }

    // ------------------------------------------------------------------------------------------------ normalize

    /** Fits the normalizer on all batches and applies it in place; images use the 0..255 pixel scaler for minmax. */
    static void normalize(List<MultiDataSet> batches, Normalize how, boolean images) {
        if (how == Normalize.NONE || batches.isEmpty()) {
            return;
        }
        List<DataSet> ds = new ArrayList<>();
        for (MultiDataSet m : batches) {
            ds.add(new DataSet(m.getFeatures(0), m.getLabels(0), m.getFeaturesMaskArray(0), m.getLabelsMaskArray(0)));
        }
        DataNormalization n = switch (how) {
            case STANDARDIZE -> new NormalizerStandardize();
            case MINMAX -> images ? new ImagePreProcessingScaler(0, 1) : new NormalizerMinMaxScaler();
            case NONE -> throw new IllegalStateException();
        };
        try {
            n.fit(new ListDataSetIterator<>(ds));
            for (DataSet d : ds) {
                n.preProcess(d);
            }
        } catch (RuntimeException e) {
            throw new BadInputException("--normalize " + how.name().toLowerCase(Locale.ROOT) + " failed on this data ("
                    + CheckModel.firstLine(e) + ")");
        }
        for (int i = 0; i < ds.size(); i++) {
            batches.get(i).setFeatures(0, ds.get(i).getFeatures());
        }
    }

}
