package io.github.dl4jgradmon;

import io.github.dl4jgradmon.model.ModelAdapter;
import org.deeplearning4j.nn.api.Model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Per-model {@link Worker}s, found by model identity (DL4J models override {@code equals}). ParallelWrapper calls one
 * listener instance from several threads, each with its own model: each gets its own worker and id, in the order the
 * models are first seen. Lookups read a volatile array without locking; models that were garbage collected are
 * dropped when a new one registers.
 */
final class WorkerRegistry {

    private final Shared shared;
    private volatile Worker[] workers = new Worker[0];
    private int nextId;

    WorkerRegistry(Shared shared) {
        this.shared = shared;
    }

    /** The worker for this model, or empty if the model is not a MultiLayerNetwork or ComputationGraph. */
    Optional<Worker> workerFor(Model model) {
        for (Worker w : workers) {
            if (w.model.get() == model) {
                return Optional.of(w);
            }
        }
        return register(model);
    }

    private synchronized Optional<Worker> register(Model model) {
        for (Worker w : workers) {
            if (w.model.get() == model) {
                return Optional.of(w);
            }
        }
        Optional<ModelAdapter> adapter = ModelAdapter.of(model);
        if (adapter.isEmpty()) {
            return Optional.empty();
        }
        List<Worker> live = new ArrayList<>();
        for (Worker w : workers) {
            if (w.model.get() != null) {
                live.add(w);
            }
        }
        Worker worker = new Worker(String.valueOf(nextId++), model, adapter.get(), shared);
        live.add(worker);
        workers = live.toArray(new Worker[0]);
        return Optional.of(worker);
    }

    /**
     * Rebinds the only worker to {@code model}, which continues its state (see {@link Worker}); with no worker yet,
     * {@code model} simply becomes the first. A model already known is left as it is.
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
        ModelAdapter adapter = ModelAdapter.of(model).orElseThrow(() -> new IllegalArgumentException("continueOn "
                + "needs a MultiLayerNetwork or ComputationGraph (got: " + model.getClass().getName() + ")"));
        if (current.length == 0) {
            workers = new Worker[] {new Worker(String.valueOf(nextId++), model, adapter, shared)};
            return;
        }
        if (current.length > 1) {
            throw new IllegalStateException("continueOn needs a monitor that watched one model (got: "
                    + current.length + " workers " + ids() + "); give each ParallelWrapper worker its own monitor");
        }
        workers = new Worker[] {new Worker(current[0], model, adapter)};
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
