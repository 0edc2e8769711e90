package io.github.dl4jgradmon.ui;

import java.util.Locale;

/**
 * The session and worker IDs a DL4J stats storage can hold safely. DL4J's SQLite storage ({@code J7FileStatsStorage})
 * builds its queries by pasting the IDs between single quotes: an ID with a quote makes every later query on that
 * file fail, and the file can no longer be read by the UI or {@code report}. An ID here is 1 to {@value #MAX_LENGTH}
 * characters, none of them a single quote or a control character.
 *
 * <p>IDs a user chooses are checked where they are set ({@link #check}: an {@code IllegalArgumentException} naming the
 * option and the value); IDs the user cannot choose (a Spark executor's name, a worker ID handed over by another
 * library) are made safe instead ({@link #sanitize}).
 *
 * <pre>{@code
 * String session = StorageIds.check("sessionId", userInput);     // throws on "it's mine"
 * }</pre>
 */
public final class StorageIds {

    /** Longest ID accepted. */
    public static final int MAX_LENGTH = 256;

    private StorageIds() {
    }

    /** {@code id} when it is safe for every DL4J storage; otherwise an exception naming {@code option}. */
    public static String check(String option, String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException(option + " must not be blank (got: '" + id + "')");
        }
        if (id.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(option + " must be at most " + MAX_LENGTH + " characters (got: "
                    + id.length() + ")");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!allowed(c)) {
                throw new IllegalArgumentException(option + " must not contain " + describe(c) + ", because DL4J's "
                        + "SQLite stats storage (J7FileStatsStorage) builds its queries from it (got: '"
                        + StoredText.fit(id, 80) + "')");
            }
        }
        return id;
    }

    /** {@code id} with every single quote and control character replaced by {@code _}, cut to the longest allowed. */
    public static String sanitize(String id) {
        if (id == null || id.isBlank()) {
            return "_";
        }
        StringBuilder b = new StringBuilder(Math.min(id.length(), MAX_LENGTH));
        for (int i = 0; i < id.length() && b.length() < MAX_LENGTH; i++) {
            char c = id.charAt(i);
            b.append(allowed(c) ? c : '_');
        }
        return b.toString();
    }

    private static boolean allowed(char c) {
        return c != '\'' && !Character.isISOControl(c);
    }

    private static String describe(char c) {
        return c == '\'' ? "a single quote (')" : String.format(Locale.ROOT, "a control character (U+%04X)",
                (int) c);
    }
}
