package io.github.dl4jgradmon.ui;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * JSON output through Jackson's streaming generator, with escapes that keep the text safe inside an HTML
 * {@code <script>} element and encodable as UTF-8: {@code < > &}, U+2028, U+2029 and every UTF-16 surrogate (paired
 * or lone) are written as {@code \\uXXXX}, so no {@code </script>} can appear and a lone surrogate in a layer name
 * cannot make a UTF-8 writer fail. Non-finite numbers are written as {@code null}. Internal.
 */
final class Json {

    /** Writes one JSON document. */
    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static final JsonFactory FACTORY = new JsonFactoryBuilder().characterEscapes(new ScriptSafeEscapes())
            .build();

    private Json() {
    }

    static String write(Body body) {
        StringWriter out = new StringWriter(4096);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: writing JSON to memory", e);
        }
        return out.toString();
    }

    /** {@code {"error": message}}. */
    static String error(String message) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("error", message);
            g.writeEndObject();
        });
    }

    /** A finite number, or {@code null} (JSON has no NaN or infinity). */
    static void number(JsonGenerator g, double v) throws IOException {
        if (Double.isFinite(v)) {
            g.writeNumber(v);
        } else {
            g.writeNull();
        }
    }

    static final class ScriptSafeEscapes extends CharacterEscapes {

        private static final long serialVersionUID = 1L;
        private final int[] ascii;

        ScriptSafeEscapes() {
            ascii = standardAsciiEscapesForJSON();
            ascii['<'] = ESCAPE_CUSTOM;
            ascii['>'] = ESCAPE_CUSTOM;
            ascii['&'] = ESCAPE_CUSTOM;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            if (ch == '<' || ch == '>' || ch == '&' || ch == 0x2028 || ch == 0x2029
                    || (ch >= Character.MIN_SURROGATE && ch <= Character.MAX_SURROGATE)) {
                return new SerializedString(String.format(Locale.ROOT, "\\u%04x", ch));
            }
            return null;
        }
    }
}
