package io.github.dl4jgradmon.samples;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** One picocli entry point for every sample and tool. */
class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.commandLine(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).execute(args);
    }

    @Test
    void helpListsEveryCommandWithTheTourAsDefault() {
        assertThat(run("--help")).isZero();
        String help = out.toString(StandardCharsets.UTF_8);
        for (String command : new String[] {"tour", "vanishing", "exploding", "poisoned", "dying-relu",
            "graph-parallel", "dashboard", "check", "check-examples", "report"}) {
            assertThat(help).contains("  " + command);
        }
        assertThat(help).contains("Without a command: the tour");
    }

    @Test
    void subcommandHelpShowsItsOptions() {
        assertThat(run("check", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--input-shape").contains("--try-fixes");
        out.reset();
        assertThat(run("report", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--in=FILE").contains("--out=FILE");
        out.reset();
        assertThat(run("tour", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--keep-ui").contains("Enter");
    }

    @Test
    void unknownCommandIsOneLineAndExitCodeTwo() {
        assertThat(run("explode")).isEqualTo(2);
        String e = err.toString(StandardCharsets.UTF_8);
        assertThat(e.lines().findFirst().orElseThrow()).startsWith("samples: Unmatched argument").contains("explode");
        assertThat(e).doesNotContain("\tat ");
    }

    @Test
    void reportRequiresItsOptionsAndRunsThroughTheWrapper() {
        assertThat(run("report", "--in", "x.bin")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("report: Missing required option: '--out=FILE'");
        err.reset();
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
}
