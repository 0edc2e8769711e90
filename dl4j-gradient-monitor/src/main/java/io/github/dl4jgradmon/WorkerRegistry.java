package io.github.dl4jgradmon;

import io.github.dl4jgradmon.internal.model.ModelAdapter;
import org.deeplearning4j.nn.api.Model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Per-model {@link Worker}s, found by model identity (DL4J models override {@code equals}). ParallelWrapper calls one
 * listener instance from several threads, each with its own model: each gets its own worker and id, in the order the
 * models are first seen. Lookups read a volatile array without locking.
 *
 * <p>Ids: every new worker takes the next number ({@code "0"}, {@code "1"}, ...); an id is never given to another
 * model, so {@code history(id)} never mixes two models. A model that trains at a ParallelWrapper place already held
 * by a worker ({@link WrapperPlace}: the wrapper's replicas, made anew on every {@code fit}) continues that worker,
 * with its id and state, instead of becoming a new one.
 *
 * <p>Bounded: when a new model registers, workers whose model was garbage collected are dropped, except the one
 * worker per ParallelWrapper place, kept for the next replica at that place (as many as the wrapper has workers).
 */
final class WorkerRegistry {

    private final MonitorContext shared;
    private volatile Worker[] workers = new Worker[0];
    private int nextId;

    WorkerRegistry(MonitorContext shared) {
        this.shared = shared;
    }

    /** The worker for this model (a model the monitor can read: {@link ModelAdapter#of} is not empty). */
    Worker workerFor(Model model) {
        for (Worker w : workers) {
            if (w.model.get() == model) {
                return w;
            }
        }
        return register(model);
    }

    private synchronized Worker register(Model model) {
        for (Worker w : workers) {
            if (w.model.get() == model) {
                return w;
            }
        }
        String place = WrapperPlace.current().orElse(null);
        Worker previous = null;
        List<Worker> kept = new ArrayList<>();
        for (Worker w : workers) {
            if (place != null && place.equals(w.place)) {
                previous = w;
            } else if (w.model.get() != null || w.place != null) {
                kept.add(w);
            }
        }
        Worker worker = previous != null ? new Worker(previous, model)
                : new Worker(String.valueOf(nextId++), model, place, shared);
        kept.add(worker);
        workers = kept.toArray(new Worker[0]);
        return worker;
    }

    /**
     * Rebinds the only worker to {@code model}, which continues its state (see {@link Worker}); with no worker yet,
     * {@code model} simply becomes the first. A model already known is left as it is. The worker counts whether or
     * not its previous model was garbage collected meanwhile: its state is what continues.
     *
     * @throws IllegalArgumentException when {@code model} is not a MultiLayerNetwork or ComputationGraph
     * @throws IllegalStateException    when more than one worker is known (which one would continue is unclear)
     */
    synchronized void continueOn(Model model) {
        Worker[] current = workers;
        for (Worker w : current) {
            if (w.model.get() == model) {
                return;
            }
        }
        if (ModelAdapter.of(model).filter(a -> a.pretrainedLayer().isEmpty()).isEmpty()) {
            throw new IllegalArgumentException("continueOn needs a MultiLayerNetwork or ComputationGraph (got: "
                    + model.getClass().getName() + ")");
        }
        if (current.length == 0) {
            workers = new Worker[] {new Worker(String.valueOf(nextId++), model, null, shared)};
            return;
        }
        if (current.length > 1) {
            throw new IllegalStateException("continueOn needs a monitor that watched one model (got: "
                    + current.length + " workers " + ids() + "); give each ParallelWrapper worker its own monitor");
        }
        workers = new Worker[] {new Worker(current[0], model)};
    }

    List<String> ids() {
        List<String> ids = new ArrayList<>();
        for (Worker w : workers) {
            ids.add(w.id);
        }
        return ids;
    }

    Optional<Worker> byId(String id) {
        for (Worker w : workers) {
            if (w.id.equals(id)) {
                return Optional.of(w);
            }
        }
        return Optional.empty();
    }

    /** Detector failures contained by the workers' detector sessions. */
    long detectorFaults() {
        long n = 0;
        for (Worker w : workers) {
            n += w.detectorFaults();
        }
        return n;
    }
}
