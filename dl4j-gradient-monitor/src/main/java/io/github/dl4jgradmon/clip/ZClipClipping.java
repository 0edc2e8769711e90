package io.github.dl4jgradmon.clip;

/**
 * ZClip (Kumar, Owen, Ashley, Kordi, Heng 2025, "ZClip: Adaptive Spike Mitigation for LLM Pre-Training"; reference
 * zclip.py): z-score of the global norm against an EMA of its mean and variance.
 */
final class ZClipClipping extends GradientClipping {

    private static final long serialVersionUID = 1L;

    private final double alpha;
    private final double zThreshold;
    private final int warmup;
    private final double maxNorm;

    ZClipClipping(double alpha, double zThreshold, int warmup, double maxNorm) {
        this.alpha = alpha;
        this.zThreshold = zThreshold;
        this.warmup = warmup;
        this.maxNorm = maxNorm;
    }

    @Override
    public String name() {
        return "zClip";
    }

    @Override
    public Session newSession() {
        return new Session() {
            private final double[] warm = new double[warmup];
            private int seen;
            private double mean;
            private double var;

            @Override
            public double apply(ClipTarget target) {
                double norm = target.globalNorm();
                if (!Double.isFinite(norm)) {
                    return Double.NaN;
                }
                if (norm > maxNorm) {
                    // the optional hard cap of the reference implementation, applied before the statistics see it
                    NormClipping.clipGlobal(target, maxNorm);
                    norm = target.globalNorm();
                }
                if (seen < warmup) {
                    warm[seen++] = norm;
                    if (seen == warmup) {
                        double sum = 0;
                        for (double v : warm) {
                            sum += v;
                        }
                        mean = sum / warmup;
                        double sq = 0;
                        for (double v : warm) {
                            sq += (v - mean) * (v - mean);
                        }
                        var = sq / warmup;
                    }
                    return Double.NaN;
                }
                double std = Math.sqrt(var);
                double z = std > 0 ? (norm - mean) / std : 0;
                double threshold = mean + zThreshold * std;
                double used = norm;
                if (z > zThreshold) {
                    used = mean + zThreshold * std / (z / zThreshold);
                    NormClipping.clipGlobal(target, used);
                }
                // the EMA follows the clipped norm, so one spike does not inflate the baseline
                mean = alpha * mean + (1 - alpha) * used;
                var = alpha * var + (1 - alpha) * (used - mean) * (used - mean);
                return Math.min(z > zThreshold ? used : threshold, maxNorm);
            }
        };
    }

    @Override
    public String toString() {
        return "zClip(alpha=" + alpha + ", zThreshold=" + zThreshold + ", warmup=" + warmup + ", maxNorm=" + maxNorm
                + ")";
    }
}
