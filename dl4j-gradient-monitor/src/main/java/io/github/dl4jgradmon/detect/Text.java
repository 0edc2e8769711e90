package io.github.dl4jgradmon.detect;

import io.github.dl4jgradmon.stats.LayerGradientStats;

import java.util.Locale;

/** Formatting for alert messages: numbers in a short scientific form, layers by name and type. */
final class Text {

    private Text() {
    }

    static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    static String layer(LayerGradientStats l) {
        return "layer '" + l.name() + "' (" + l.type() + ")";
    }
}
