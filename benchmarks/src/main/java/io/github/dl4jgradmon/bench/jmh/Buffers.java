package io.github.dl4jgradmon.bench.jmh;

import io.github.dl4jgradmon.bench.Workloads;
import io.github.dl4jgradmon.internal.model.ModelAdapter;
import io.github.dl4jgradmon.model.ModelLayout;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The flat buffers of a real network (after one training step, or as {@code init()} left them for a zoo-sized
 * one): gradient (holding the applied update, as at
 * {@code iterationDone}), parameters and the layout, as the monitor sees them. Kept by the JMH states.
 */
final class Buffers {

    final Workloads.Workload workload;
    final ModelLayout layout;
    final INDArray gradients;
    final INDArray params;
    /** Native-order byte views of the same memory, for the bandwidth reads. */
    final ByteBuffer gradientBytes;
    final ByteBuffer paramBytes;
    final int length;

    Buffers(String key) {
        workload = Workloads.of(key);
        Model model = workload.model();
        ModelAdapter adapter = ModelAdapter.of(model).orElseThrow();
        if (adapter.gradients() == null || workload.parameters() < 10_000_000) {
            // one real step fills the gradient view; a zoo-sized model keeps init()'s view (the passes are
            // branch-free: their time does not depend on the values) and saves a slow step per fork
            workload.step();
        }
        layout = adapter.layout();
        gradients = adapter.gradients();
        params = adapter.params();
        length = Math.toIntExact(gradients.length());
        gradientBytes = bytes(gradients);
        paramBytes = bytes(params);
    }

    private static ByteBuffer bytes(INDArray a) {
        ByteBuffer all = a.data().asNio().order(ByteOrder.nativeOrder());
        int from = Math.toIntExact(a.offset() * a.dataType().width());
        int to = from + Math.toIntExact(a.length() * a.dataType().width());
        return all.slice(from, to - from).order(ByteOrder.nativeOrder());
    }
}
