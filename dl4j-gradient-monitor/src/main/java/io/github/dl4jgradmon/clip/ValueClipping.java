package io.github.dl4jgradmon.clip;

/** Clamps every entry to [-maxValue, maxValue]. */
final class ValueClipping extends GradientClipping {

    private static final long serialVersionUID = 1L;

    private final double maxValue;

    ValueClipping(double maxValue) {
        this.maxValue = maxValue;
    }

    @Override
    public String name() {
        return "value";
    }

    @Override
    public Session newSession() {
        return target -> {
            for (int s = 0; s < target.segmentCount(); s++) {
                target.clampSegment(s, maxValue);
            }
            return maxValue;
        };
    }

    @Override
    public String toString() {
        return "value(" + maxValue + ")";
    }
}
