package io.github.dl4jgradmon.suite;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CorpusDataTest {

    @Test
    void theSignalSitsAtTheChosenStepAsAOneHotOfTheLabel() {
        List<DataSet> late = CorpusData.signalAt(604, 2, 4, 30, 3, 0.1, 27);
        for (DataSet d : late) {
            for (int i = 0; i < 4; i++) {
                int label = d.getLabels().getRow(i).argMax().getInt(0);
                for (int c = 0; c < 3; c++) {
                    assertThat(d.getFeatures().getDouble(i, c, 27)).isEqualTo(c == label ? 1.0 : 0.0);
                    assertThat(d.getFeatures().getDouble(i, c, 0)).as("noise at the other steps").isNotZero()
                            .isBetween(-1.0, 1.0);
                }
            }
        }
    }
}
