package io.github.dl4jgradmon.internal.util;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class TextTest {

    @ParameterizedTest
    @CsvSource({
            "0.0, 0",
            "0.001, 0.001",
            "0.000999, 0.000999",
            "9.99E-7, 9.99E-7",
            "0.68649, 0.686",
            "39.96, 40",
            "1048.3, 1050",
            "99949, 99900",
            "100000, 1E+5",
            "-5.446746262329052E-7, -5.45E-7",
            "NaN, NaN",
            "Infinity, Infinity"})
    void significantIsPlainBetweenAMillionthAndAHundredThousand(double v, String expected) {
        assertThat(Text.significant(v)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"0.0123456, 0.0123", "1.5E-12, 1.50e-12", "NaN, NaN", "-Infinity, -Infinity"})
    void numHasThreeSignificantDigits(double v, String expected) {
        assertThat(Text.num(v)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"de-DE", "fr-FR", "ar-EG"})
    void numbersDoNotFollowTheDefaultLocale(String tag) {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag(tag));
            assertThat(Text.num(1234.5)).isEqualTo("1.23e+03");
            assertThat(Text.significant(0.5)).isEqualTo("0.5");
        } finally {
            Locale.setDefault(before);
        }
    }
}
