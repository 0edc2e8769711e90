package io.github.dl4jgradmon.cli.check;

import io.github.dl4jgradmon.GradientMonitor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the check tool in-process and captures its streams. */
final class CheckRuns {

    /** Exit code and captured streams of one run. */
    record Run(int code, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private CheckRuns() {
    }

    static Run check(String... args) {
        return check(b -> b, args);
    }

    static Run check(UnaryOperator<GradientMonitor.Builder> tweak, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = CheckTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), tweak);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Path write(Path dir, String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    /** Bad input: exit code 2, one line on stderr starting with "check: " and containing the message, no trace. */
    static void assertBadInput(Run r, String message) {
        assertThat(r.code()).as(r.all()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("check: ").contains(message).doesNotContain("\n")
                .doesNotContain("\tat ").doesNotContain("Exception");
    }

    /** An option error: exit code 2, the first line names it, then the synopsis; no stack trace. */
    static void assertOptionError(Run r, String message) {
        assertThat(r.code()).as(r.all()).isEqualTo(2);
        String[] lines = r.err().strip().split("\n");
        assertThat(lines[0]).startsWith("check: ").contains(message);
        assertThat(r.err()).contains("Usage: check").contains("check --help").doesNotContain("\tat ");
    }
}
