package io.github.dl4jgradmon.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One local[2] Spark context for every test class of the fork (starting one costs seconds), a small double-precision
 * network trained with plain SGD, and data laid out so that DataSet {@code i} is partition {@code i}: with
 * {@code Repartition.Never} and the direct RDD approach, worker {@code "driver-p<i>"} trains on exactly that batch.
 */
final class SparkFixtures {

    static final int WORKERS = 2;
    static final int BATCH = 8;
    static final int N_IN = 4;
    static final int N_OUT = 3;
    static final double LR = 0.1;

    private static JavaSparkContext sc;

    private SparkFixtures() {
    }

    static synchronized JavaSparkContext spark() {
        if (sc == null) {
            SparkConf conf = new SparkConf().setMaster("local[" + WORKERS + "]").setAppName("gradmon-spark-tests")
                    .set("spark.ui.enabled", "false").set("spark.driver.host", "localhost")
                    .set("spark.driver.bindAddress", "127.0.0.1");
            sc = new JavaSparkContext(conf);
        }
        return sc;
    }

    static MultiLayerConfiguration mlp() {
        return new NeuralNetConfiguration.Builder().seed(12345).dataType(DataType.DOUBLE).updater(new Sgd(LR))
                .list()
                .layer(new DenseLayer.Builder().nIn(N_IN).nOut(6).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(6).nOut(N_OUT)
                        .activation(Activation.SOFTMAX).build())
                .build();
    }

    static ComputationGraphConfiguration graph() {
        return new NeuralNetConfiguration.Builder().seed(12345).dataType(DataType.DOUBLE).updater(new Sgd(LR))
                .graphBuilder().addInputs("in")
                .addLayer("hidden_a", new DenseLayer.Builder().nIn(N_IN).nOut(6).activation(Activation.TANH).build(),
                        "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(6).nOut(N_OUT)
                        .activation(Activation.SOFTMAX).build(), "hidden_a")
                .setOutputs("out").build();
    }

    /**
     * {@code depth} sigmoid layers of width 16 under a softmax output: the first layer's gradient is a vanishing
     * fraction of the last layer's (each sigmoid layer scales the backpropagated signal by at most 1/4).
     */
    static MultiLayerNetwork initDeepSigmoid(int depth) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(12345)
                .dataType(DataType.DOUBLE).updater(new Sgd(LR)).list();
        for (int i = 0; i < depth; i++) {
            list.layer(new DenseLayer.Builder().nIn(i == 0 ? N_IN : 16).nOut(16).activation(Activation.SIGMOID)
                    .build());
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(N_OUT)
                .activation(Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    static MultiLayerNetwork initMlp() {
        MultiLayerNetwork net = new MultiLayerNetwork(mlp());
        net.init();
        return net;
    }

    static ComputationGraph initGraph() {
        ComputationGraph net = new ComputationGraph(graph());
        net.init();
        return net;
    }

    /** Parameter averaging after every single worker step, data left in the partitions it was given. */
    static ParameterAveragingTrainingMaster averagingEveryStep() {
        return new ParameterAveragingTrainingMaster.Builder(BATCH).batchSizePerWorker(BATCH).averagingFrequency(1)
                .workerPrefetchNumBatches(0).repartionData(Repartition.Never)
                .rddTrainingApproach(RDDTrainingApproach.Direct).saveUpdater(true).build();
    }

    /** A minibatch of {@link #BATCH} random examples with one-hot labels. */
    static DataSet batch(long seed) {
        Random r = new Random(seed);
        INDArray x = Nd4j.create(DataType.DOUBLE, BATCH, N_IN);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, BATCH, N_OUT);
        for (int i = 0; i < BATCH; i++) {
            for (int j = 0; j < N_IN; j++) {
                x.putScalar(i, j, r.nextGaussian());
            }
            y.putScalar(i, r.nextInt(N_OUT), 1.0);
        }
        return new DataSet(x, y);
    }

    /** The same batch with NaN features in its first {@code rows} rows. */
    static DataSet poisoned(long seed, int rows) {
        DataSet d = batch(seed);
        for (int i = 0; i < rows; i++) {
            d.getFeatures().putScalar(i, 0, Double.NaN);
        }
        return d;
    }

    /** DataSet i in partition i. */
    static JavaRDD<DataSet> partitioned(List<DataSet> perWorker) {
        return spark().parallelize(new ArrayList<>(perWorker), perWorker.size());
    }

    static String series(int partition) {
        return "driver-p" + partition;
    }
}
