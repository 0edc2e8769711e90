package io.github.dl4jgradmon;

import io.github.dl4jgradmon.alert.AlertTerminationCondition;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.earlystopping.EarlyStoppingConfiguration;
import org.deeplearning4j.earlystopping.EarlyStoppingResult;
import org.deeplearning4j.earlystopping.saver.InMemoryModelSaver;
import org.deeplearning4j.earlystopping.scorecalc.DataSetLossCalculator;
import org.deeplearning4j.earlystopping.termination.MaxEpochsTerminationCondition;
import org.deeplearning4j.earlystopping.trainer.EarlyStoppingTrainer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EarlyStoppingTest {

    @Test
    void earlyStoppingTrainerEndsWithTheAlertAsItsReason() {
        MultiLayerNetwork net = Nets.sgdMlp(6, 8, 3);
        AlertTerminationCondition stopOnNaN = AlertTerminationCondition.onNonFinite();
        // a NaN gradient in the second epoch (DL4J's trainer needs one finished epoch to have a best model)
        net.setListeners(new BaseTrainingListener() {
            @Override
            public void onGradientCalculation(Model model) {
                if (((MultiLayerNetwork) model).getIterationCount() == 13) {
                    model.getGradientsViewArray().putScalar(0, Double.NaN);
                }
            }
        }, GradientMonitor.builder().logAlerts(false).onAlert(stopOnNaN).build());
        List<DataSet> batches = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batches.add(Nets.classification(i, 8, 6, 3));
        }
        EarlyStoppingConfiguration<MultiLayerNetwork> conf = new EarlyStoppingConfiguration.Builder<MultiLayerNetwork>()
                .iterationTerminationConditions(stopOnNaN)
                .epochTerminationConditions(new MaxEpochsTerminationCondition(3))
                .scoreCalculator(new DataSetLossCalculator(new ListDataSetIterator<>(batches.subList(0, 2), 1), true))
                .modelSaver(new InMemoryModelSaver<>())
                .build();

        EarlyStoppingResult<MultiLayerNetwork> result =
                new EarlyStoppingTrainer(conf, net, new ListDataSetIterator<>(batches, 1)).fit();

        assertThat(result.getTerminationReason())
                .isEqualTo(EarlyStoppingResult.TerminationReason.IterationTerminationCondition);
        assertThat(result.getTerminationDetails()).contains("NON_FINITE").contains("iteration 13");
        assertThat(stopOnNaN.alert()).hasValueSatisfying(a -> assertThat(a.iteration()).isEqualTo(13));
    }
}
