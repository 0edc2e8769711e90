package io.github.dl4jgradmon;

import io.github.dl4jgradmon.stats.BufferPath;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;
import io.github.dl4jgradmon.stats.ParamGradientStats;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class NonFiniteCountingTest {

    /** Writes values into one parameter's raw gradient, before the monitor (which is registered after it) reads it. */
    private static final class Injector extends BaseTrainingListener {
        private final String key;
        private final double value;
        private final int count;

        Injector(String key, double value, int count) {
            this.key = key;
            this.value = value;
            this.count = count;
        }

        @Override
        public void onGradientCalculation(Model model) {
            var view = ((MultiLayerNetwork) model).getGradient().getGradientFor(key);
            for (int i = 0; i < count; i++) {
                view.putScalar(i * 2L, value);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"0_W, NaN, 3, HOST", "1_b, Infinity, 2, HOST", "2_W, -Infinity, 1, HOST",
            "0_W, NaN, 3, ND4J", "1_b, Infinity, 2, ND4J", "2_W, -Infinity, 1, ND4J"})
    void injectedValuesAreCountedInTheirLayerAndParam(String key, double value, int count, BufferPath path) {
        TestPaths.use(path);
        MultiLayerNetwork net = Nets.sgdMlp(8, 10, 6, 3);
        GradientMonitor monitor = GradientMonitor.builder().build();
        net.setListeners(new Injector(key, value, count), monitor);
        net.fit(Nets.classification(9, 8, 8, 3));

        GradientSnapshot s = monitor.latest().orElseThrow();
        int layerIndex = Integer.parseInt(key.substring(0, key.indexOf('_')));
        String param = key.substring(key.indexOf('_') + 1);
        for (LayerGradientStats layer : s.layers()) {
            for (var e : layer.params().entrySet()) {
                ParamGradientStats p = e.getValue();
                boolean target = layer.index() == layerIndex && e.getKey().equals(param);
                assertThat(p.nanCount()).as("%s_%s", layer.index(), e.getKey())
                        .isEqualTo(target && Double.isNaN(value) ? count : 0);
                assertThat(p.infCount()).as("%s_%s", layer.index(), e.getKey())
                        .isEqualTo(target && Double.isInfinite(value) ? count : 0);
                assertThat(p.isFinite()).isEqualTo(!target);
                if (target) {
                    assertThat(p.maxAbs()).as("max over the finite entries").isFinite();
                    assertThat(Double.compare(p.gradientNorm(), Double.isNaN(value) ? Double.NaN
                            : Double.POSITIVE_INFINITY)).as("layer norm %s", p.gradientNorm()).isZero();
                }
            }
        }
        assertThat(s.isFinite()).isFalse();
        assertThat(Double.compare(s.globalGradientNorm(), Double.isNaN(value) ? Double.NaN
                : Double.POSITIVE_INFINITY)).as("global norm %s", s.globalGradientNorm()).isZero();
        assertThat(monitor.faultCount()).isZero();
        TestPaths.check(monitor);
    }

    @AfterEach
    void defaultPath() {
        TestPaths.reset();
    }
}
