package io.github.dl4jgradmon.cli.check;

import io.github.dl4jgradmon.GradientMonitor;
import io.github.dl4jgradmon.cli.CommandLines;
import picocli.CommandLine;

import java.io.PrintStream;
import java.util.function.UnaryOperator;

/**
 * The {@code check} tool: a pre-flight gradient health check of a DL4J model. See {@link CheckCommand} (or
 * {@code gradmon check --help}) for the options and docs/cli.md for examples.
 *
 * <pre>
 * gradmon check --model model.json [--input-shape H,W,C] [--data train.csv] [--normalize standardize]
 *     [--try-fixes --write-fixed fixed.json]
 * </pre>
 *
 * <p>Exit codes: 0 healthy, 1 problems found, 2 bad input (one line on stderr naming what is wrong, or the limit the
 * model exceeds, checked before any network is built: see {@link CheckBudget}; option errors add the synopsis), 3 could
 * not measure (one line saying why).
 */
public final class CheckTool {

    private CheckTool() {
    }

    /** Runs {@code check} with these arguments (without the word {@code check}); returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return configure(commandLine(out, err), out, err).execute(args);
    }

    /** As {@link #run(String[], PrintStream, PrintStream)}, with additions to every run's monitor (tests). */
    static int run(String[] args, PrintStream out, PrintStream err,
                   UnaryOperator<GradientMonitor.Builder> monitorTweak) {
        CommandLine cl = commandLine(out, err);
        ((CheckCommand) cl.getCommand()).monitorTweak = monitorTweak;
        return configure(cl, out, err).execute(args);
    }

    /** The {@code check} command, printing to these streams (a subcommand of {@code gradmon}). */
    public static CommandLine commandLine(PrintStream out, PrintStream err) {
        CheckCommand command = new CheckCommand();
        command.out = out;
        command.err = err;
        return new CommandLine(command);
    }

    /** The tool's picocli settings, applied to the whole {@code gradmon} command line. */
    public static CommandLine configure(CommandLine cl, PrintStream out, PrintStream err) {
        CommandLines.standard(cl, out, err).setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            String message = ex instanceof BadInputException ? ex.getMessage()
                    : "failed: " + ex.getClass().getSimpleName() + ": " + CheckModel.firstLine(ex);
            err.println(c.getCommandName() + ": " + message);
            return CommandLines.BAD_INPUT;
        });
        return cl;
    }
}
