package io.github.dl4jgradmon.bench;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteBuffer;

/**
 * The least any monitor of every iteration's exact gradient and update statistics must do on the training thread:
 * read the raw gradient once at {@code onGradientCalculation} (DL4J's updater overwrites it next) and the applied
 * update once at {@code iterationDone}, each streamed through an L1-sized block by the JDK's memcpy, with no arithmetic.
 * Its whole-run ratio is the floor for such a listener on the machine and model measured.
 */
final class ReadFloor extends BaseTrainingListener {

    private final byte[] block = new byte[16 * 1024];
    private int sink;

    @Override
    public void onGradientCalculation(Model model) {
        read(model.getGradientsViewArray());
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        read(model.getGradientsViewArray());
    }

    private void read(INDArray flat) {
        if (flat == null) {
            return;
        }
        ByteBuffer b = flat.data().asNio();
        int from = (int) (flat.offset() * flat.data().getElementSize());
        int to = from + (int) (flat.length() * flat.data().getElementSize());
        for (int at = from; at < to; at += block.length) {
            int len = Math.min(block.length, to - at);
            b.get(at, block, 0, len);
            sink += block[len - 1];
        }
    }

    @Override
    public String toString() {
        return "ReadFloor{" + sink + "}"; // keeps the reads observable
    }
}
