package io.github.dl4jgradmon.bench.jmh;

import io.github.dl4jgradmon.bench.Workloads;
import io.github.dl4jgradmon.model.ModelAdapter;
import io.github.dl4jgradmon.model.ModelLayout;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The flat buffers of a real network after one training step: gradient (holding the applied update, as at
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
        workload.step();
        Model model = workload.model();
        ModelAdapter adapter = ModelAdapter.of(model).orElseThrow();
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
