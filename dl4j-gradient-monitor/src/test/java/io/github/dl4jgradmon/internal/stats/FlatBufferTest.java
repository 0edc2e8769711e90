package io.github.dl4jgradmon.internal.stats;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading and writing DL4J-style flat buffers in place, against ND4J's own element access. */
class FlatBufferTest {

    @Test
    void aReusedViewSeesTheArraysCurrentValuesAndNoOtherArray() {
        INDArray a = Nd4j.linspace(1, 10, 10, DataType.FLOAT).reshape(1, 10);
        INDArray b = Nd4j.linspace(101, 110, 10, DataType.FLOAT).reshape(1, 10);
        assertThat(FlatBuffer.of(a).get(3)).isEqualTo(4.0);
        assertThat(FlatBuffer.of(b).get(3)).isEqualTo(104.0);
        a.putScalar(3, 42f);
        assertThat(FlatBuffer.of(a).get(3)).isEqualTo(42.0);
        assertThat(FlatBuffer.of(b).get(3)).isEqualTo(104.0);
    }

    @Test
    void aViewIntoALargerBufferStartsAtItsOffset() {
        INDArray whole = Nd4j.linspace(0, 19, 20, DataType.DOUBLE).reshape(1, 20);
        INDArray tail = whole.get(NDArrayIndex.point(0),
                NDArrayIndex.interval(5, 20)).reshape(1, 15);
        FlatBuffer f = FlatBuffer.of(tail);
        assertThat(f.length()).isEqualTo(15);
        assertThat(f.get(0)).isEqualTo(tail.getDouble(0));
        assertThat(FlatBuffer.of(whole).get(0)).isEqualTo(0.0);
        assertThat(FlatBuffer.of(tail).get(0)).isEqualTo(5.0);
    }

    @Test
    void scaleClampAndZeroChangeTheArrayInPlaceAcrossBlocks() {
        int n = 3 * Kernels.BLOCK + 7;
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray a = Nd4j.linspace(-n / 2.0, n / 2.0, n, type).reshape(1, n);
            INDArray expected = a.dup().muli(0.5);
            FlatBuffer f = FlatBuffer.of(a);
            f.scale(0, n, 0.5);
            assertThat(a.equals(expected)).as("scaled %s", type).isTrue();

            double limit = 100;
            double sq = 0;
            for (int i = 0; i < n; i++) {
                double c = Math.max(-limit, Math.min(limit, a.getDouble(i)));
                sq += c * c;
            }
            assertThat(f.clamp(0, n, limit)).isEqualTo(sq);
            assertThat(a.maxNumber().doubleValue()).isEqualTo(limit);
            assertThat(a.minNumber().doubleValue()).isEqualTo(-limit);

            f.zero(5, n - 10);
            assertThat(a.getDouble(4)).isNotZero();
            assertThat(a.getDouble(n - 5)).isNotZero();
            for (int i = 5; i < n - 5; i++) {
                assertThat(a.getDouble(i)).isZero();
            }
        }
    }

    @Test
    void clampKeepsNaN() {
        INDArray a = Nd4j.create(new float[] {Float.NaN, 5f, -5f, 1f}, new long[] {1, 4}, 'c');
        FlatBuffer.of(a).clamp(0, 4, 2);
        assertThat(a.getDouble(0)).isNaN();
        assertThat(a.getDouble(1)).isEqualTo(2.0);
        assertThat(a.getDouble(2)).isEqualTo(-2.0);
        assertThat(a.getDouble(3)).isEqualTo(1.0);
    }

    @Test
    void aConvertedCopyRefusesWrites() {
        INDArray half = Nd4j.ones(DataType.HALF, 1, 8);
        FlatBuffer f = FlatBuffer.of(half);
        assertThat(f.get(7)).isEqualTo(1.0);
        assertThatThrownBy(() -> f.scale(0, 8, 2)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("converted copy");
    }
}
