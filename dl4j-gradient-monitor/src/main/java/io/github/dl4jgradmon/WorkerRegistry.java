package io.github.dl4jgradmon;

import io.github.dl4jgradmon.model.ModelAdapter;
import org.deeplearning4j.nn.api.Model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Per-model state, found by model identity (DL4J models override {@code equals}). ParallelWrapper calls one listener
 * instance from several threads, each with its own model: each gets its own {@link WorkerState} and worker id, in the
 * order the models are first seen. Lookups read a volatile array without locking; models that were garbage collected
 * are dropped when a new one registers.
 */
final class WorkerRegistry {

    private volatile WorkerState[] states = new WorkerState[0];
    private int nextId;

    /** The state for this model, or empty if the model is not a MultiLayerNetwork or ComputationGraph. */
    Optional<WorkerState> stateFor(Model model) {
        for (WorkerState s : states) {
            if (s.model.get() == model) {
                return Optional.of(s);
            }
        }
        return register(model);
    }

    private synchronized Optional<WorkerState> register(Model model) {
        for (WorkerState s : states) {
            if (s.model.get() == model) {
                return Optional.of(s);
            }
        }
        Optional<ModelAdapter> adapter = ModelAdapter.of(model);
        if (adapter.isEmpty()) {
            return Optional.empty();
        }
        List<WorkerState> live = new ArrayList<>();
        for (WorkerState s : states) {
            if (s.model.get() != null) {
                live.add(s);
            }
        }
        WorkerState state = new WorkerState(String.valueOf(nextId++), model, adapter.get());
        live.add(state);
        states = live.toArray(new WorkerState[0]);
        return Optional.of(state);
    }

    List<String> ids() {
        List<String> ids = new ArrayList<>();
        for (WorkerState s : states) {
            ids.add(s.id);
        }
        return ids;
    }
}
