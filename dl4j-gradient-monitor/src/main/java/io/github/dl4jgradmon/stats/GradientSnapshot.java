package io.github.dl4jgradmon.stats;

import io.github.dl4jgradmon.model.LayerGraph;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the monitor measured at one reported iteration of one worker. Immutable; safe to keep and share.
 *
 * <pre>{@code
 * monitor.latest().ifPresent(s ->
 *         System.out.println("iteration " + s.iteration() + " global norm " + s.globalGradientNorm()));
 * }</pre>
 *
 * @param workerId           which model produced it: {@code "0"} for the model the listener was first called with,
 *                           {@code "1"}, {@code "2"}, ... for further models, in the order first seen; a
 *                           ParallelWrapper place keeps its id across the wrapper's fresh replicas, and a layer in
 *                           layer-wise pretraining has an id of its own (see docs/workers.md)
 * @param iteration          DL4J's iteration count when the gradient was computed (before its increment)
 * @param epoch              DL4J's epoch count
 * @param score              the minibatch score (loss) DL4J computed with this gradient
 * @param batchSize          the minibatch size the gradient was averaged over
 * @param globalGradientNorm L2 norm over every trainable gradient of the model, batch-averaged units
 *                           (what PyTorch's {@code clip_grad_norm_} returns)
 * @param timestampMillis    wall-clock time the gradient was observed
 * @param layers             one entry per layer with trainable parameters, in layer order
 * @param reaction           what clipping or step skipping did to this iteration's gradient ({@link Reaction#NONE}
 *                           when nothing is configured); the statistics above describe the gradient before it
 * @param graph              how the layers connect (which are fed by the inputs, which feed the outputs); a chain
 *                           for a MultiLayerNetwork. Shared by every snapshot of a model.
 * @param pretrainedLayer    the layer this step trained on its own during layer-wise pretraining
 *                           ({@code net.pretrain(...)}): {@code layers} then holds that one layer, every parameter of
 *                           it, {@code score} is its pretraining loss and {@code iteration}/{@code epoch} are its own
 *                           counters; empty for a step of the whole network
 * @param unwatched          when a layer filter is active ({@code layers(...)}/{@code excludeLayers(...)}): the layers it
 *                           left out, which {@code layers} does not list, with their gradient norm and NaN/Inf counts;
 *                           {@code graph} then describes the watched layers only, and {@code globalGradientNorm} still
 *                           covers the whole model. Empty when every layer is watched.
 */
public record GradientSnapshot(String workerId, long iteration, int epoch, double score, int batchSize,
                               double globalGradientNorm, long timestampMillis, List<LayerGradientStats> layers,
                               Reaction reaction, LayerGraph graph, Optional<String> pretrainedLayer,
                               Optional<UnwatchedLayers> unwatched) {

    /** A snapshot of every layer (no layer filter). */
    public GradientSnapshot(String workerId, long iteration, int epoch, double score, int batchSize,
                            double globalGradientNorm, long timestampMillis, List<LayerGradientStats> layers,
                            Reaction reaction, LayerGraph graph, Optional<String> pretrainedLayer) {
        this(workerId, iteration, epoch, score, batchSize, globalGradientNorm, timestampMillis, layers, reaction,
                graph, pretrainedLayer, Optional.empty());
    }

    /** A snapshot of a step of the whole network. */
    public GradientSnapshot(String workerId, long iteration, int epoch, double score, int batchSize,
                            double globalGradientNorm, long timestampMillis, List<LayerGradientStats> layers,
                            Reaction reaction, LayerGraph graph) {
        this(workerId, iteration, epoch, score, batchSize, globalGradientNorm, timestampMillis, layers, reaction,
                graph, Optional.empty());
    }

    /** A snapshot whose layers form a chain. */
    public GradientSnapshot(String workerId, long iteration, int epoch, double score, int batchSize,
                            double globalGradientNorm, long timestampMillis, List<LayerGradientStats> layers,
                            Reaction reaction) {
        this(workerId, iteration, epoch, score, batchSize, globalGradientNorm, timestampMillis, layers, reaction,
                LayerGraph.chain(layers.size()));
    }

    /** A snapshot without any reaction. */
    public GradientSnapshot(String workerId, long iteration, int epoch, double score, int batchSize,
                            double globalGradientNorm, long timestampMillis, List<LayerGradientStats> layers) {
        this(workerId, iteration, epoch, score, batchSize, globalGradientNorm, timestampMillis, layers,
                Reaction.NONE);
    }

    public GradientSnapshot {
        Objects.requireNonNull(workerId, "workerId");
        if (iteration < 0) {
            throw new IllegalArgumentException("iteration must be >= 0 (got: " + iteration + ")");
        }
        if (batchSize < 0) {
            throw new IllegalArgumentException("batchSize must be >= 0 (got: " + batchSize + ")");
        }
        layers = List.copyOf(layers);
        Objects.requireNonNull(reaction, "reaction");
        Objects.requireNonNull(graph, "graph");
        if (graph.size() != layers.size()) {
            throw new IllegalArgumentException("graph must describe the " + layers.size() + " layers (got: "
                    + graph.size() + ")");
        }
        Objects.requireNonNull(pretrainedLayer, "pretrainedLayer (Optional.empty() for a step of the whole network)");
        Objects.requireNonNull(unwatched, "unwatched (Optional.empty() when every layer is watched)");
    }

    /** This snapshot, as a step of layer-wise pretraining of {@code layer}. */
    public GradientSnapshot asPretrainingOf(String layer) {
        return new GradientSnapshot(workerId, iteration, epoch, score, batchSize, globalGradientNorm, timestampMillis,
                layers, reaction, graph, Optional.of(Objects.requireNonNull(layer, "layer")), unwatched);
    }

    /** True when this step trained one layer on its own during layer-wise pretraining. */
    public boolean isPretraining() {
        return pretrainedLayer.isPresent();
    }

    /** The layer with this name, if it has trainable parameters. */
    public Optional<LayerGradientStats> layer(String name) {
        for (LayerGradientStats layer : layers) {
            if (layer.name().equals(name)) {
                return Optional.of(layer);
            }
        }
        return Optional.empty();
    }

    /** True when a layer filter left layers out of {@link #layers()} (see {@link #unwatched()}). */
    public boolean isFiltered() {
        return unwatched.isPresent();
    }

    /** True when no gradient entry of any layer is NaN or Inf, the unwatched layers included. */
    public boolean isFinite() {
        if (unwatched.isPresent() && !unwatched.get().isFinite()) {
            return false;
        }
        for (LayerGradientStats layer : layers) {
            if (layer.nanCount() > 0 || layer.infCount() > 0) {
                return false;
            }
        }
        return true;
    }
}
