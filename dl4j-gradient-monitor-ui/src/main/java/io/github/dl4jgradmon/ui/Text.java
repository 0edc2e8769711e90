package io.github.dl4jgradmon.ui;

/** String helpers for the records. Internal. */
final class Text {

    /** Longest text stored (bytes of modified UTF-8 must stay below 65,535; 16k chars x 3 bytes is safe). */
    static final int MAX_CHARS = 16_000;

    private Text() {
    }

    static String fit(String s) {
        if (s == null) {
            return "";
        }
        if (s.length() <= MAX_CHARS) {
            return s;
        }
        int end = MAX_CHARS;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + "\u2026";
    }
}
