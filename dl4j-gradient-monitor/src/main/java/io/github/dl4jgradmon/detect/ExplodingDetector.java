package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;
import io.github.dl4jgradmon.util.Checks;
import io.github.dl4jgradmon.util.Text;

import java.io.Serial;
import java.util.List;

/**
 * {@link AlertType#EXPLODING}: gradient norms that are too large or grow out of control, caught on the way up, before
 * the first NaN. Four rules, each reported with its own numbers:
 * <ol>
 *     <li><b>ceiling</b> (WARNING): a layer's gradient norm, or the global norm, above {@code maxNorm} (batch-averaged
 *     units, those of {@code gradientNormalizationThreshold}).</li>
 *     <li><b>spike</b> (WARNING): after {@code warmup} snapshots, a layer's norm or the global norm whose z-score
 *     against its own exponential moving mean and variance (smoothing {@code alpha}, as in ZClip, Kumar et al. 2025)
 *     exceeds {@code zThreshold}. The z-score is taken on log(norm) because norms are heavy-tailed, with a floor of
 *     0.2 on the standard deviation of log(norm), so a spike is always at least e^(0.2 zThreshold) times the
 *     baseline. Outliers enter the averages clamped, as in ZClip.</li>
 *     <li><b>growth</b> (CRITICAL): the global norm is still rising and has reached {@code growthFactor} times its
 *     baseline (the geometric moving mean above). Needs no warm-up: from the second snapshot on, one finite step of
 *     runaway growth is enough.</li>
 *     <li><b>layer ratio</b> (WARNING): the first layer's gradient norm over the last layer's above
 *     {@code maxLayerRatio} for {@code ratioPatience} consecutive snapshots (AutoTrainer, Zhang et al. ICSE 2021:
 *     ratio &gt; 70).</li>
 * </ol>
 * A layer alert names the layer; when only the global norm crosses a rule, the alert is model-wide.
 *
 * <pre>{@code
 * ExplodingDetector d = ExplodingDetector.builder()
 *         .maxNorm(100)          // tighter ceiling for a small, well-scaled model
 *         .zThreshold(6)
 *         .build();
 * }</pre>
 *
 * @param maxNorm       ceiling for any gradient norm; {@code Double.POSITIVE_INFINITY} disables the rule (default 1e3)
 * @param zThreshold    z-score of log(norm) above which a norm is a spike (default 5)
 * @param warmup        snapshots observed before spikes are judged (default 25, as ZClip)
 * @param alpha         smoothing of the moving mean and variance, in (0, 1) (default 0.97, as ZClip)
 * @param growthFactor  how many times its baseline a rising global norm may reach (default 10)
 * @param maxLayerRatio first/last layer gradient-norm ratio above which a layer explodes (default 70, AutoTrainer)
 * @param ratioPatience consecutive snapshots the ratio must stay above {@code maxLayerRatio} (default 5)
 */
public record ExplodingDetector(double maxNorm, double zThreshold, int warmup, double alpha, double growthFactor,
                                double maxLayerRatio, int ratioPatience) implements Detector {

    @Serial
    private static final long serialVersionUID = 1L;

    public ExplodingDetector {
        Checks.positive("maxNorm", maxNorm);
        Checks.positive("zThreshold", zThreshold);
        Checks.atLeast("warmup", warmup, 1);
        Checks.openUnit("alpha", alpha);
        Checks.greaterThan("growthFactor", growthFactor, 1);
        Checks.greaterThan("maxLayerRatio", maxLayerRatio, 1);
        Checks.atLeast("ratioPatience", ratioPatience, 1);
    }

    public static ExplodingDetector defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public AlertType type() {
        return AlertType.EXPLODING;
    }

    @Override
    public Session newSession() {
        return new State();
    }

    private final class State implements Session {
        private final LogNormBaseline global = new LogNormBaseline(alpha);
        private LogNormBaseline[] layerBaselines = new LogNormBaseline[0];
        private double previousGlobal = Double.NaN;
        private int ratioRun;

        @Override
        public List<GradientAlert> inspect(GradientSnapshot s) {
            List<LayerGradientStats> layers = s.layers();
            if (layerBaselines.length != layers.size()) {
                layerBaselines = new LogNormBaseline[layers.size()];
                for (int i = 0; i < layerBaselines.length; i++) {
                    layerBaselines[i] = new LogNormBaseline(alpha);
                }
            }
            List<GradientAlert> out = null;
            double g = s.globalGradientNorm();

            // ceiling
            boolean layerOverCeiling = false;
            for (LayerGradientStats l : layers) {
                if (l.gradientNorm() > maxNorm) {
                    layerOverCeiling = true;
                    out = Alerts.add(out, alert(s, Severity.WARNING, l.name(), l.gradientNorm(), maxNorm,
                            "gradient norm of " + Text.layer(l) + " is " + Text.num(l.gradientNorm())
                                    + ", above the ceiling " + Text.num(maxNorm), Hints.EXPLODING));
                }
            }
            if (!layerOverCeiling && g > maxNorm) {
                out = Alerts.add(out, alert(s, Severity.WARNING, GradientAlert.MODEL, g, maxNorm,
                        "global gradient norm is " + Text.num(g) + ", above the ceiling " + Text.num(maxNorm),
                        Hints.EXPLODING));
            }

            // growth (global, no warm-up)
            boolean growing = false;
            if (global.count() > 0 && Double.isFinite(g) && g > previousGlobal
                    && g > growthFactor * global.baseline()) {
                growing = true;
                out = Alerts.add(out, alert(s, Severity.CRITICAL, GradientAlert.MODEL, g, growthFactor * global.baseline(),
                        "global gradient norm rose to " + Text.num(g) + " from " + Text.num(previousGlobal)
                                + ", " + Text.num(g / global.baseline()) + " times its baseline "
                                + Text.num(global.baseline()) + " (limit " + Text.num(growthFactor)
                                + "x): training is diverging", Hints.EXPLODING));
            }

            // spikes (after warm-up)
            boolean layerSpiked = false;
            for (int i = 0; i < layers.size(); i++) {
                LayerGradientStats l = layers.get(i);
                LogNormBaseline b = layerBaselines[i];
                if (b.count() >= warmup && Double.isFinite(l.gradientNorm())) {
                    double z = b.z(l.gradientNorm());
                    if (z > zThreshold) {
                        layerSpiked = true;
                        out = Alerts.add(out, alert(s, Severity.WARNING, l.name(), z, zThreshold,
                                "gradient norm of " + Text.layer(l) + " spiked to " + Text.num(l.gradientNorm())
                                        + ", " + Text.num(l.gradientNorm() / b.baseline()) + " times its baseline "
                                        + Text.num(b.baseline()) + " (z-score of log norm " + Text.num(z)
                                        + " > " + Text.num(zThreshold) + ")", Hints.EXPLODING));
                    }
                }
                b.add(l.gradientNorm(), b.count() >= warmup, zThreshold);
            }
            if (global.count() >= warmup && Double.isFinite(g) && !growing && !layerSpiked) {
                double z = global.z(g);
                if (z > zThreshold) {
                    out = Alerts.add(out, alert(s, Severity.WARNING, GradientAlert.MODEL, z, zThreshold,
                            "global gradient norm spiked to " + Text.num(g) + ", " + Text.num(g / global.baseline())
                                    + " times its baseline " + Text.num(global.baseline()) + " (z-score of log norm "
                                    + Text.num(z) + " > " + Text.num(zThreshold) + ")", Hints.EXPLODING));
                }
            }
            global.add(g, global.count() >= warmup, zThreshold);
            if (Double.isFinite(g)) {
                previousGlobal = g;
            }

            // first/last layer ratio (AutoTrainer)
            if (layers.size() >= 2) {
                LayerGradientStats first = layers.get(0);
                LayerGradientStats last = layers.get(layers.size() - 1);
                double ratio = first.gradientNorm() / last.gradientNorm();
                if (last.gradientNorm() > 0 && Double.isFinite(ratio) && ratio > maxLayerRatio) {
                    ratioRun++;
                    if (ratioRun >= ratioPatience) {
                        out = Alerts.add(out, alert(s, Severity.WARNING, first.name(), ratio, maxLayerRatio,
                                "gradient norm of " + Text.layer(first) + " is " + Text.num(ratio) + " times that of "
                                        + "the last " + Text.layer(last) + " (" + Text.num(first.gradientNorm())
                                        + " vs " + Text.num(last.gradientNorm()) + "), above " + Text.num(maxLayerRatio)
                                        + " for " + ratioRun + " snapshots", Hints.EXPLODING_RATIO));
                    }
                } else {
                    ratioRun = 0;
                }
            }
            return Alerts.orEmpty(out);
        }
    }

    private static GradientAlert alert(GradientSnapshot s, Severity severity, String layer, double value,
                                       double threshold, String message, String hint) {
        return Alerts.of(AlertType.EXPLODING, severity, s, layer, null, value, threshold, message, hint);
    }

    /**
     * Configures an {@link ExplodingDetector}; each setter checks its value.
     *
     * <pre>{@code
     * ExplodingDetector d = ExplodingDetector.builder().growthFactor(20).ratioPatience(10).build();
     * }</pre>
     */
    public static final class Builder {
        private double maxNorm = 1e3;
        private double zThreshold = 5;
        private int warmup = 25;
        private double alpha = 0.97;
        private double growthFactor = 10;
        private double maxLayerRatio = 70;
        private int ratioPatience = 5;

        private Builder() {
        }

        /** Ceiling for any gradient norm, batch-averaged units; {@code Double.POSITIVE_INFINITY} disables. Default 1e3. */
        public Builder maxNorm(double maxNorm) {
            this.maxNorm = Checks.positive("maxNorm", maxNorm);
            return this;
        }

        /** z-score of log(norm) above which a norm spikes. Default 5. */
        public Builder zThreshold(double zThreshold) {
            this.zThreshold = Checks.positive("zThreshold", zThreshold);
            return this;
        }

        /** Snapshots observed before spikes are judged. Default 25. */
        public Builder warmup(int warmup) {
            this.warmup = Checks.atLeast("warmup", warmup, 1);
            return this;
        }

        /** Smoothing of the moving mean and variance, in (0, 1); closer to 1 remembers longer. Default 0.97. */
        public Builder alpha(double alpha) {
            this.alpha = Checks.openUnit("alpha", alpha);
            return this;
        }

        /** Times its baseline a rising global norm may reach before a CRITICAL alert; > 1. Default 10. */
        public Builder growthFactor(double growthFactor) {
            this.growthFactor = Checks.greaterThan("growthFactor", growthFactor, 1);
            return this;
        }

        /** First/last layer gradient-norm ratio above which layers explode; > 1. Default 70. */
        public Builder maxLayerRatio(double maxLayerRatio) {
            this.maxLayerRatio = Checks.greaterThan("maxLayerRatio", maxLayerRatio, 1);
            return this;
        }

        /** Consecutive snapshots the layer ratio must stay high. Default 5. */
        public Builder ratioPatience(int ratioPatience) {
            this.ratioPatience = Checks.atLeast("ratioPatience", ratioPatience, 1);
            return this;
        }

        public ExplodingDetector build() {
            return new ExplodingDetector(maxNorm, zThreshold, warmup, alpha, growthFactor, maxLayerRatio,
                    ratioPatience);
        }
    }
}
