package io.github.dl4jgradmon.clip;

/**
 * A clipping strategy that scales the first layer by one half and then fails: how a bug in a strategy looks to the
 * monitor. Test helper (strategies can only be defined in this package).
 */
public final class FailingClipping extends GradientClipping {

    private static final long serialVersionUID = 1L;

    @Override
    public String name() {
        return "failing";
    }

    @Override
    public Session newSession() {
        return target -> {
            target.scaleLayer(0, 0.5);
            throw new IllegalStateException("simulated clipping failure");
        };
    }
}
