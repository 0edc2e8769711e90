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
