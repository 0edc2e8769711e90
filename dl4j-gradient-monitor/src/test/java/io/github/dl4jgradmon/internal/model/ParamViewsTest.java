package io.github.dl4jgradmon.internal.model;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParamViewsTest {

    /** A flat [1, 60] buffer like DL4J's, entry i holding i. */
    private final INDArray flat = Nd4j.create(DataType.DOUBLE, new long[] {1, 60}, 'f');

    {
        for (int i = 0; i < 60; i++) {
            flat.putScalar(0, i, i);
        }
    }

    @Test
    void placesAViewAtItsOffsetIntoTheFlatBuffer() {
        INDArray view = flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(12, 32)).reshape('f', 4, 5);

        assertThat(ParamViews.offsetIn(flat, view, "parameter", "0", "W")).isEqualTo(12);
        assertThat(view.getDouble(0, 0)).as("the element found there").isEqualTo(flat.getDouble(12));
    }

    @Test
    void tellsContiguousViewsFromStridedOnes() {
        INDArray matrix = Nd4j.create(DataType.DOUBLE, 4, 5); // 'c': rows contiguous, columns strided

        assertThat(ParamViews.isContiguous(matrix)).isTrue();
        assertThat(ParamViews.isContiguous(matrix.getRow(1))).isTrue();
        assertThat(ParamViews.isContiguous(matrix.getColumn(1))).isFalse();
        assertThat(ParamViews.isContiguous(matrix.get(NDArrayIndex.interval(0, 2), NDArrayIndex.interval(0, 3))))
                .isFalse();
        assertThat(ParamViews.isContiguous(Nd4j.create(DataType.DOUBLE, 1, 1, 7, 1))).isTrue();
    }

    @Test
    void refusesAStridedViewNamingLayerAndParameter() {
        INDArray strided = flat.reshape('c', 6, 10).getColumn(3);

        assertThatThrownBy(() -> ParamViews.offsetIn(flat, strided, "gradient", "conv", "pW"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("layer conv gradient pW is not contiguous (shape [6], strides [10])");
    }

    @Test
    void refusesAnArrayOutsideTheFlatBuffer() {
        INDArray elsewhere = Nd4j.create(DataType.DOUBLE, 1, 10);

        assertThatThrownBy(() -> ParamViews.offsetIn(flat, elsewhere, "parameter", "dense", "b"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("layer dense parameter b is not a view of the model's flat parameter buffer: "
                        + "unsupported layer structure");
    }
}
