package io.github.dl4jgradmon.cli.check;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The training minibatches of a CSV file with its examples reshuffled every epoch, with a seed, as DL4J's examples
 * shuffle their iterators: a file sorted by class (DL4J's own {@code iris.dat}) read in order gives minibatches of one
 * class each, whose steps undo one another. Element {@code i} is iteration {@code i}'s minibatch: epoch
 * {@code i / batchesPerEpoch}, with the permutation of that epoch drawn from {@code new Random(seed + epoch)}. Built
 * on demand (one epoch's permutation kept), so a long run holds no more than the data itself. Not thread-safe.
 */
final class EpochShuffle extends AbstractList<MultiDataSet> {

    private final INDArray features;
    private final INDArray labels;
    private final int examples;
    private final int batch;
    private final int perEpoch;
    private final int size;
    private final long seed;
    private int epoch = -1;
    private List<Integer> order;

    /**
     * @param batches    the file's minibatches in file order (one input, one output, no masks)
     * @param iterations how many minibatches training draws
     */
    EpochShuffle(List<MultiDataSet> batches, int batch, long seed, int iterations) {
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("batches must not be empty");
        }
        List<INDArray> x = new ArrayList<>();
        List<INDArray> y = new ArrayList<>();
        for (MultiDataSet m : batches) {
            x.add(m.getFeatures(0));
            y.add(m.getLabels(0));
        }
        this.features = Nd4j.concat(0, x.toArray(new INDArray[0]));
        this.labels = Nd4j.concat(0, y.toArray(new INDArray[0]));
        this.examples = (int) features.size(0);
        this.batch = batch;
        this.perEpoch = (examples + batch - 1) / batch;
        this.size = Math.max(iterations, perEpoch);
        this.seed = seed;
    }

    @Override
    public MultiDataSet get(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("minibatch " + i + " of " + size);
        }
        int e = i / perEpoch;
        if (e != epoch) {
            List<Integer> o = new ArrayList<>(examples);
            for (int k = 0; k < examples; k++) {
                o.add(k);
            }
            Collections.shuffle(o, new Random(seed + e));
            order = o;
            epoch = e;
        }
        int from = (i % perEpoch) * batch;
        int to = Math.min(examples, from + batch);
        long[] rows = new long[to - from];
        for (int k = 0; k < rows.length; k++) {
            rows[k] = order.get(from + k);
        }
        return new MultiDataSet(pick(features, rows), pick(labels, rows));
    }

    @Override
    public int size() {
        return size;
    }

    /** Minibatches per epoch. */
    int batchesPerEpoch() {
        return perEpoch;
    }

    private static INDArray pick(INDArray a, long[] rows) {
        INDArrayIndex[] idx = new INDArrayIndex[a.rank()];
        idx[0] = NDArrayIndex.indices(rows);
        for (int d = 1; d < idx.length; d++) {
            idx[d] = NDArrayIndex.all();
        }
        return a.get(idx).dup('c');
    }
}
