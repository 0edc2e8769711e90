package io.github.dl4jgradmon.internal.util;

import io.github.dl4jgradmon.stats.LayerGradientStats;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * The one formatter for numbers shown to users (alert messages, log lines, the gradmon tool, reports), always in
 * {@link Locale#ROOT}; and layers by name and type. Internal.
 */
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

    /**
     * Three significant digits without trailing zeros, for log lines and tool output: plain from 10<sup>-6</sup> up to
     * 100,000 ({@code 0.000999}, {@code 0.686}, {@code 40}, {@code 1050}), scientific outside ({@code 5.45E-7}); 0 as {@code 0}, NaN and
     * Infinity as Java spells them. Also a valid Java literal, so hints can quote it in code.
     */
    public static String significant(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        if (v == 0) {
            return "0";
        }
        BigDecimal d = new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros();
        double a = Math.abs(v);
        return a >= 1e-6 && a < 1e5 ? d.toPlainString() : d.toString();
    }

    public static String layer(LayerGradientStats l) {
        return "layer '" + l.name() + "' (" + l.type() + ")";
    }
}
