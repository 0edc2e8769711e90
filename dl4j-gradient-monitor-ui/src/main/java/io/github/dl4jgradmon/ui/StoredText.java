package io.github.dl4jgradmon.ui;

/** String helpers for the records. Internal. */
final class StoredText {

    /** Longest text stored (bytes of modified UTF-8 must stay below 65,535; 16k chars x 3 bytes is safe). */
    static final int MAX_CHARS = 16_000;

    private StoredText() {
    }

    static String fit(String s) {
        return fit(s, MAX_CHARS);
    }

    /** {@code s} cut to at most {@code max} chars (plus an ellipsis), never between the halves of a surrogate pair. */
    static String fit(String s, int max) {
        if (s == null) {
            return "";
        }
        if (s.length() <= max) {
            return s;
        }
        int end = max;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + "\u2026";
    }
}
