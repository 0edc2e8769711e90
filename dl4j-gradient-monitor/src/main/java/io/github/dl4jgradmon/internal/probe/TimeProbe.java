package io.github.dl4jgradmon.internal.probe;

import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Measures how far back through time the gradient of a recurrent MultiLayerNetwork's loss reaches: the norm of
 * dLoss/dInput at each time step, from DL4J's {@code calculateGradients(features, labels, null, null)}, which returns
 * the gradient with respect to the network input ({@code [mb, nIn, T]}). Internal.
 *
 * <p>The probe never touches the training: {@link #prepare} (on the training thread) copies the configuration (as
 * JSON), the parameters and the first {@value #MAX_EXAMPLES} examples of the current minibatch out of every workspace into
 * arrays it owns (copies draw no random numbers); {@link #run} builds a private network from those copies, without
 * dropout or weight noise and without workspaces, and backpropagates on a thread of its own, so that the training
 * thread's ND4J random generator and workspaces are never used. The training thread waits for it: the model is not
 * trained meanwhile, and nothing of the probe outlives the call.
 *
 * <p>Applies to a network trained with standard backpropagation (not truncated BPTT) whose input is a sequence
 * ({@code [mb, nIn, T]} or, with NWC layers, {@code [mb, T, nIn]}, at least {@value #MIN_STEPS} steps, no feature
 * mask), whose labels are one vector per sequence ({@code [mb, classes]}: LastTimeStep, global pooling) and which has a
 * recurrent layer (LSTM, GravesLSTM, SimpleRnn, Bidirectional, LastTimeStep of one).
 */
public final class TimeProbe {

    /** Examples of the minibatch the probe backpropagates: bounds its cost and its copies. */
    public static final int MAX_EXAMPLES = 8;
    /** Shorter sequences are not probed: there is no long path through time to lose the gradient on. */
    public static final int MIN_STEPS = 20;

    private TimeProbe() {
    }

    /**
     * What the probe needs, copied out of the live network: owned arrays in no workspace.
     *
     * @param conf     the configuration as JSON: a deep copy ({@code MultiLayerConfiguration.clone()} shares the
     *                 layer a {@code LastTimeStep} wraps, so editing a clone would edit the training network)
     * @param layer    index of the first recurrent layer
     * @param timeAxis axis of the input that is time (2 for NCW, 1 for NWC)
     */
    public record Request(String conf, INDArray params, INDArray features, INDArray labels, int layer,
                          int timeAxis) {
    }

    /** The first recurrent layer of {@code net}, or -1. */
    public static int firstRecurrentLayer(MultiLayerNetwork net) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        for (int i = 0; i < conf.getConfs().size(); i++) {
            if (recurrent(conf.getConf(i).getLayer()) != null) {
                return i;
            }
        }
        return -1;
    }

    /** The recurrent layer configuration inside {@code layer} (itself, or what a wrapper holds), or null. */
    static Layer recurrent(Layer layer) {
        if (layer instanceof BaseRecurrentLayer) {
            return layer;
        }
        if (layer instanceof Bidirectional b) {
            return recurrent(b.getFwd());
        }
        if (layer instanceof BaseWrapperLayer w) {
            return recurrent(w.getUnderlying());
        }
        return null;
    }

    /**
     * Copies what the probe needs from {@code net} as it stands now (call it on the training thread, inside a
     * listener callback, where the network holds its current minibatch); empty when the probe does not apply.
     */
    public static Optional<Request> prepare(MultiLayerNetwork net) {
        int layer = firstRecurrentLayer(net);
        MultiLayerConfiguration live = net.getLayerWiseConfigurations();
        INDArray input = net.getInput();
        INDArray labels = net.getLabels();
        if (layer < 0 || live.getBackpropType() == BackpropType.TruncatedBPTT || input == null || labels == null
                || input.rank() != 3 || labels.rank() != 2 || net.getMask() != null) {
            return Optional.empty();
        }
        Layer rnn = recurrent(live.getConf(layer).getLayer());
        RNNFormat format = rnn instanceof BaseRecurrentLayer r ? r.getRnnDataFormat() : null;
        int timeAxis = format == RNNFormat.NWC ? 1 : 2;
        if (input.size(timeAxis) < MIN_STEPS) {
            return Optional.empty();
        }
        long k = Math.min(MAX_EXAMPLES, input.size(0));
        try (MemoryWorkspace ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            INDArray f = input.get(NDArrayIndex.interval(0, k), NDArrayIndex.all(), NDArrayIndex.all()).dup();
            INDArray l = labels.get(NDArrayIndex.interval(0, k), NDArrayIndex.all()).dup();
            return Optional.of(new Request(live.toJson(), net.params().dup(), f, l, layer, timeAxis));
        }
    }

    /**
     * Runs the probe on a thread of its own and waits at most {@code timeoutMillis} for it.
     *
     * @return the per-step input-gradient norms, empty when DL4J gives no input gradient (an embedding first)
     * @throws Exception whatever the probe threw, or a {@link TimeoutException}
     */
    public static Optional<double[]> runAside(Request request, long timeoutMillis) throws Exception {
        FutureTask<Optional<double[]>> task = new FutureTask<>(() -> run(request));
        Thread thread = new Thread(task, "dl4j-gradmon-time-probe");
        thread.setDaemon(true);
        thread.start();
        try {
            return task.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        } catch (TimeoutException e) {
            task.cancel(true);
            throw e;
        }
    }

    /**
     * Backpropagates the request's examples through a private copy of the network (no dropout, no weight noise, no
     * workspaces) on the calling thread and returns the norm of dLoss/dInput at each time step.
     */
    static Optional<double[]> run(Request request) {
        MultiLayerConfiguration conf = MultiLayerConfiguration.fromJson(request.conf());
        conf.setTrainingWorkspaceMode(WorkspaceMode.NONE);
        conf.setInferenceWorkspaceMode(WorkspaceMode.NONE);
        conf.setCacheMode(CacheMode.NONE);
        for (NeuralNetConfiguration c : conf.getConfs()) {
            quiet(c.getLayer());
        }
        MultiLayerNetwork copy = new MultiLayerNetwork(conf);
        copy.init(request.params(), false);
        try {
            Pair<Gradient, INDArray> p = copy.calculateGradients(request.features(), request.labels(), null, null);
            INDArray eps = p.getSecond();
            if (eps == null || eps.rank() != 3) {
                return Optional.empty();
            }
            int other = request.timeAxis() == 2 ? 1 : 2;
            return Optional.of(eps.castTo(DataType.DOUBLE).norm2(0, other).toDoubleVector());
        } finally {
            copy.close();
        }
    }

    /** Takes dropout and weight noise out of a layer configuration (and what it wraps): the probe is deterministic. */
    private static void quiet(Layer layer) {
        if (layer == null) {
            return;
        }
        layer.setIDropout(null);
        if (layer instanceof BaseLayer b) {
            b.setWeightNoise(null);
        }
        if (layer instanceof BaseWrapperLayer w) {
            quiet(w.getUnderlying());
        }
        if (layer instanceof Bidirectional b) {
            quiet(b.getFwd());
            quiet(b.getBwd());
        }
    }
}
