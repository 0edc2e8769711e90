package io.github.dl4jgradmon.internal.util;

import io.github.dl4jgradmon.stats.LayerGradientStats;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** Formatting for alert messages and log lines: short numbers, layers by name and type. Internal. */
public final class Text {

    private Text() {
    }

    /** A number in a short scientific form for messages, e.g. {@code 1.23e-05}; NaN and Infinity as Java spells them. */
    public static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    /** Three significant digits without trailing zeros, for log lines, e.g. {@code 5.45E-7}, {@code 0.686}. */
    public static String significant(double v) {
        if (!Double.isFinite(v) || v == 0) {
            return String.valueOf(v);
        }
        return new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toString();
    }

    public static String layer(LayerGradientStats l) {
        return "layer '" + l.name() + "' (" + l.type() + ")";
    }
}
