package io.github.dl4jgradmon.cli;

import picocli.CommandLine;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * The picocli settings every command of this project shares ({@code gradmon} and the samples' commands): UTF-8 output,
 * and a bad option answered with one line that names it, the synopsis, and exit code 2.
 *
 * <pre>{@code
 * System.exit(CommandLines.standard(new CommandLine(new MyCommand()), System.out, System.err).execute(args));
 * }</pre>
 */
public final class CommandLines {

    /** The exit code of a bad option or bad input. */
    public static final int BAD_INPUT = 2;

    private CommandLines() {
    }

    /** {@code cl}, printing to these streams in UTF-8, with one-line option errors. */
    public static CommandLine standard(CommandLine cl, PrintStream out, PrintStream err) {
        cl.setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            err.println(c.getCommandName() + ": " + ex.getMessage().replace('\n', ' ').strip());
            err.print("Usage: " + c.getHelp().synopsis(0));
            err.println("(" + c.getCommandName() + " --help lists every option)");
            return BAD_INPUT;
        });
        return cl;
    }
}
