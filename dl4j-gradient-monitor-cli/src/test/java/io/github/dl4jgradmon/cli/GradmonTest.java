package io.github.dl4jgradmon.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code gradmon} command line: its commands, version, errors and completion script. */
class GradmonTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Gradmon.commandLine(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).execute(args);
    }

    @Test
    void helpListsEveryCommand() {
        assertThat(run("--help")).isZero();
        String help = out.toString(StandardCharsets.UTF_8);
        for (String command : new String[] {"check", "report", "check-examples", "generate-completion", "help"}) {
            assertThat(help).contains("  " + command);
        }
        assertThat(help).contains("Exit codes:");
    }

    @Test
    void subcommandHelpShowsItsOptions() {
        assertThat(run("check", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--input-shape").contains("--try-fixes")
                .contains("gradmon check --model");
        out.reset();
        assertThat(run("report", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--in=FILE").contains("--out=FILE");
    }

    @Test
    void versionNamesTheBuildAndDl4j() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).strip())
                .matches("gradmon \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(Deeplearning4j 1\\.0\\.0-M2\\.1, Java .+\\)");
    }

    @Test
    void noCommandPrintsTheUsageAndExitsTwo() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Usage: gradmon");
    }

    @Test
    void unknownCommandIsOneLineAndExitCodeTwo() {
        assertThat(run("chek")).isEqualTo(2);
        String e = err.toString(StandardCharsets.UTF_8);
        assertThat(e.lines().findFirst().orElseThrow()).startsWith("gradmon: Unmatched argument").contains("chek");
        assertThat(e).doesNotContain("\tat ");
    }

    @Test
    void reportRequiresItsOptionsAndRunsThroughTheWrapper() {
        assertThat(run("report", "--in", "x.bin")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("report: Missing required option: '--out=FILE'");
        PrintStream saved = System.err;
        ByteArrayOutputStream reportErr = new ByteArrayOutputStream();
        System.setErr(new PrintStream(reportErr, true, StandardCharsets.UTF_8));
        try {
            assertThat(run("report", "--in", "does-not-exist.bin", "--out", "r.html")).isEqualTo(2);
        } finally {
            System.setErr(saved);
        }
        assertThat(reportErr.toString(StandardCharsets.UTF_8)).contains("--in does-not-exist.bin is not a readable file");
    }

    @Test
    void completionScriptCompletesCommandsAndCheckOptions(@TempDir Path dir) throws IOException {
        Path script = dir.resolve("gradmon_completion");
        CompletionScript.main(new String[] {script.toString()});
        String text = Files.readString(script);
        assertThat(text).contains("complete -F _complete_gradmon").contains("check").contains("report")
                .contains("--try-fixes").contains("--model");
    }
}
