package io.github.dl4jgradmon.internal.model;

import io.github.dl4jgradmon.model.LayerSlot;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.optimize.api.ConvexOptimizer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Optional;

/**
 * One layer of a network trained on its own, as {@code MultiLayerNetwork.pretrain(...)} /
 * {@code pretrainLayer(...)} does for pretrainable layers (VariationalAutoencoder, AutoEncoder): DL4J then calls the
 * listeners with the layer as the model. The layer's flat gradient and parameter buffers are views into the network's;
 * its layout holds every parameter of the layer (a VAE's decoder too: pretraining updates it), and DL4J runs a
 * separate solver and updater for the layer, whose state is what a skipped step restores.
 *
 * <p>Counters are the layer's own ({@code conf().getIterationCount()}, as DL4J's optimizer passes them to
 * {@code iterationDone}). Learning rates are not changed during pretraining: {@link #learningRate(LayerSlot)} is
 * always empty, so a learning-rate back-off leaves the layer alone.
 */
final class LayerPretraining extends ModelAdapter {

    private final Layer layer;

    LayerPretraining(Layer layer) {
        this.layer = layer;
    }

    /** Pretraining is what trains them: a VAE's decoder, an AutoEncoder's visible bias. */
    @Override
    boolean trainsPretrainParams() {
        return true;
    }

    /** Whether DL4J calls listeners with this layer as the model while pretraining it. */
    static boolean pretrains(Layer layer) {
        return layer.isPretrainLayer() && layer.conf() != null && layer.numParams() > 0;
    }

    @Override
    public Optional<String> pretrainedLayer() {
        return Optional.of(name());
    }

    private String name() {
        String name = layer.conf().getLayer().getLayerName();
        return name != null ? name : String.valueOf(layer.getIndex());
    }

    @Override
    public INDArray gradients() {
        return layer.getGradientsViewArray();
    }

    @Override
    public INDArray params() {
        return layer.params();
    }

    @Override
    public int iteration() {
        return layer.conf().getIterationCount();
    }

    @Override
    public int epoch() {
        return layer.conf().getEpochCount();
    }

    @Override
    public int batchSize() {
        return layer.input() == null ? 0 : layer.batchSize();
    }

    @Override
    public boolean miniBatch() {
        return layer.conf().isMiniBatch();
    }

    @Override
    public double score() {
        return layer.score();
    }

    @Override
    public INDArray updaterState() {
        ConvexOptimizer optimizer = layer.getOptimizer();
        Updater updater = optimizer == null ? null : optimizer.getUpdater(false);
        return updater == null ? null : updater.getStateViewArray();
    }

    @Override
    public Optional<Double> learningRate(LayerSlot slot) {
        return Optional.empty();
    }

    @Override
    public void learningRate(LayerSlot slot, double lr) {
        throw new UnsupportedOperationException("learning rates are not changed while layer " + name()
                + " is pretrained");
    }

    @Override
    List<Named> orderedTrainables() {
        return List.of(new Named(name(), layer.getIndex(), typeOf(layer), layer));
    }
}
