package io.github.dl4jgradmon.samples;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** One picocli entry point for every sample. */
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
            "graph-parallel", "dashboard"}) {
            assertThat(help).contains("  " + command);
        }
        assertThat(help).contains("Without a command: the tour");
        assertThat(help).as("the tools are gradmon's, not the samples'").doesNotContain("  check").doesNotContain("  report");
    }

    @Test
    void subcommandHelpShowsItsOptions() {
        assertThat(run("dashboard", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--seconds=N");
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
}
