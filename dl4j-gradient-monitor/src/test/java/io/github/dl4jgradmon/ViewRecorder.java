package io.github.dl4jgradmon;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.Trainable;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Records, at the callbacks, what DL4J itself says about every parameter: the parameter view of each layer's
 * {@code paramTable(false)} and the per-parameter gradient arrays of the network's {@code gradient()}, copied in
 * DOUBLE. Added after the monitor, it sees the same buffers the monitor read. Test-only, one model.
 */
final class ViewRecorder extends BaseTrainingListener {

    /**
     * One parameter at one iteration: values before the update, raw gradient, applied update (null if absent).
     * {@code moved}: DL4J's backprop wrote into its gradient view but its updater is NoOp (or it is not divided by the
     * minibatch): the layer computes its step itself.
     */
    static final class Param {
        final boolean gradientDriven;
        final boolean moved;
        final INDArray value;
        INDArray gradient;
        INDArray update;

        Param(boolean gradientDriven, boolean moved, INDArray value) {
            this.gradientDriven = gradientDriven;
            this.moved = moved;
            this.value = value;
        }
    }

    /** Per layer (MultiLayerNetwork index or vertex name), per parameter key. */
    final Map<String, Map<String, Param>> layers = new LinkedHashMap<>();
    /** The minibatch size at the last {@code onGradientCalculation}. */
    int batchSize;
    long iteration = -1;

    @Override
    public void onGradientCalculation(Model model) {
        layers.clear();
        Map<String, INDArray> gradients = model.gradient().gradientForVariable();
        trainables(model).forEach((id, t) -> {
            Map<String, Param> params = new LinkedHashMap<>();
            t.paramTable(false).forEach((key, view) -> {
                INDArray gradient = gradients.get(id + "_" + key);
                boolean driven = gradient != null && gradientDriven(t, key);
                boolean moved = gradient != null && !driven && !pretrainOnly(t, key);
                Param p = new Param(driven, moved, copy(view));
                p.gradient = copyOrNull(gradient);
                params.put(key, p);
            });
            layers.put(id, params);
        });
        batchSize = model.batchSize();
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        Map<String, INDArray> gradients = model.gradient().gradientForVariable();
        layers.forEach((id, params) -> params.forEach((key, p) -> p.update = copyOrNull(gradients.get(id + "_" + key))));
        this.iteration = iteration;
    }

    /**
     * DL4J's own verdict, given that its backprop reported a gradient for the parameter: an updater other than NoOp,
     * a gradient divided by the minibatch, and not a parameter only pretraining trains.
     */
    private static boolean gradientDriven(Trainable t, String key) {
        IUpdater u = t.getConfig() == null ? null : t.getConfig().getUpdaterByParam(key);
        return u != null && !(u instanceof NoOp) && t.updaterDivideByMinibatch(key) && !pretrainOnly(t, key);
    }

    /** What DL4J's configuration calls a pretraining parameter (an AutoEncoder's visible bias): backprop leaves it. */
    private static boolean pretrainOnly(Trainable t, String key) {
        Layer l = t instanceof Layer layer ? layer
                : t instanceof GraphVertex v && v.hasLayer() ? v.getLayer() : null;
        return l != null && l.conf().getLayer().isPretrainParam(key);
    }

    static Map<String, Trainable> trainables(Model model) {
        Map<String, Trainable> out = new LinkedHashMap<>();
        if (model instanceof MultiLayerNetwork net) {
            for (int i = 0; i < net.getLayers().length; i++) {
                if (net.getLayer(i).numParams() > 0) {
                    out.put(String.valueOf(i), net.getLayer(i));
                }
            }
        } else if (model instanceof ComputationGraph graph) {
            for (GraphVertex v : graph.getVertices()) {
                if (v.numParams() > 0) {
                    out.put(v.getVertexName(), v);
                }
            }
        }
        return out;
    }

    private static INDArray copy(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup();
    }

    private static INDArray copyOrNull(INDArray a) {
        return a == null ? null : copy(a);
    }
}
