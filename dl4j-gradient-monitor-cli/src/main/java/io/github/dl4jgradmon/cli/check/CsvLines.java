package io.github.dl4jgradmon.cli.check;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Checks the lines of a CSV file before DataVec reads them: DataVec holds a whole line as a string and then every cell
 * as an object, so one line of 100 MB takes gigabytes before any check sees it. A line longer than the limit is
 * refused with its number, its length and the limit. Reads bytes only, in one pass, up to the lines that will be used.
 */
final class CsvLines {

    /** Bytes per CSV cell allowed for (a number written in full takes about 25). */
    static final int BYTES_PER_CELL = 64;
    /** The least line length accepted, whatever the number of columns. */
    static final long MIN_LIMIT = 1L << 20;

    private CsvLines() {
    }

    /** The longest line accepted for rows of {@code columns} cells. */
    static long limit(long columns) {
        return Math.max(MIN_LIMIT, columns * BYTES_PER_CELL);
    }

    /**
     * Refuses the first of the first {@code maxLines} lines of {@code file} that is longer than {@code limit} bytes.
     *
     * @param what how to name the rows in the message, e.g. "rows of 5 columns"
     */
    static void check(Path file, long maxLines, long limit, String what) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            byte[] buffer = new byte[1 << 16];
            long line = 1;
            long length = 0;
            int n;
            while (line <= maxLines && (n = in.read(buffer)) > 0) {
                for (int i = 0; i < n && line <= maxLines; i++) {
                    if (buffer[i] == '\n') {
                        line++;
                        length = 0;
                    } else if (++length > limit) {
                        throw tooLong(file, line, restOfLine(buffer, i + 1, n, in, length), limit, what);
                    }
                }
            }
        } catch (IOException e) {
            throw new BadInputException("--data cannot be read: " + file + " (" + e.getMessage() + ")");
        }
    }

    /** The full length of a line of which {@code seen} bytes were read, the rest from buffer[from, to), then in. */
    private static long restOfLine(byte[] buffer, int from, int to, InputStream in, long seen) throws IOException {
        long length = seen;
        for (int i = from; i < to; i++) {
            if (buffer[i] == '\n') {
                return length;
            }
            length++;
        }
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            length++;
        }
        return length;
    }

    private static BadInputException tooLong(Path file, long line, long length, long limit, String what) {
        return new BadInputException(String.format(Locale.ROOT, "--data %s: line %d is %,d bytes long, more than "
                + "the %,d accepted for %s; is the file one CSV row per line?", file, line, length, limit, what));
    }
}
