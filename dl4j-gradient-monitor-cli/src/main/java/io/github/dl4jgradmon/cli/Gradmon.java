package io.github.dl4jgradmon.cli;

import io.github.dl4jgradmon.cli.check.CheckTool;
import io.github.dl4jgradmon.cli.check.ExampleConfigs;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * The {@code gradmon} command: every tool a user runs on files. {@code gradmon --help} lists the commands,
 * {@code gradmon <command> --help} the options of one.
 *
 * <pre>
 * gradmon check --model model.zip [--data train.csv]      # a pre-flight gradient check of a model
 * gradmon report --in stats.bin --out report.html         # a stats file as one self-contained HTML report
 * </pre>
 *
 * <p>Exit codes: 0 success (check: healthy), 1 check found problems, 2 bad input (one line on stderr naming what is
 * wrong), 3 check could not measure.
 */
@Command(name = "gradmon", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        versionProvider = Gradmon.Version.class,
        description = "Gradient health tools for Deeplearning4j models.",
        subcommands = {CommandLine.HelpCommand.class, Gradmon.Report.class, Gradmon.CheckExamples.class,
            AutoComplete.GenerateCompletion.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success (check: healthy)", "1:check found problems",
            "2:bad input: one line on stderr naming the file, line, column or option", "3:check could not measure"})
public final class Gradmon implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine(System.out, System.err).execute(args));
    }

    /** The whole command line, printing to these streams, with check's handling of bad input for every command. */
    public static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new Gradmon());
        cl.addSubcommand("check", CheckTool.commandLine(out, err));
        CommandLine completion = cl.getSubcommands().get("generate-completion");
        completion.getCommandSpec().usageMessage().hidden(false);
        return CheckTool.configure(cl, out, err);
    }

    /** Without a command: the list of commands, and exit code 2 (nothing was done). */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** The version of this build and of the DL4J it was built against. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Gradmon.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"gradmon " + p.getProperty("version", "(unknown)") + " (Deeplearning4j "
                    + p.getProperty("dl4j", "(unknown)") + ", Java " + System.getProperty("java.version") + ")"};
        }
    }

    /** {@code report}: a thin picocli wrapper; the report itself is {@link ReportCommand}. */
    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "Turns a DL4J stats file recorded with a GradientStatsSink into one self-contained HTML "
                    + "file. Exit code 0 when written, 2 on bad input (one line on stderr), including an --out that "
                    + "is the --in file or a link to it.")
    static final class Report implements Callable<Integer> {
        @Option(names = "--in", required = true, paramLabel = "FILE",
                description = "The stats file (FileStatsStorage, or a J7FileStatsStorage SQLite file).")
        String in;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "The HTML report to write; "
                + "never the --in file or a link to it.")
        String out;

        @Override
        public Integer call() {
            return ReportCommand.run(new String[] {"--in", in, "--out", out}, System.err);
        }
    }

    @Command(name = "check-examples", mixinStandardHelpOptions = true,
            description = "Writes the example configurations of check into a folder.")
    static final class CheckExamples implements Callable<Integer> {
        @Parameters(arity = "1", paramLabel = "DIR", description = "Where to write them.")
        Path dir;

        @Override
        public Integer call() throws Exception {
            ExampleConfigs.main(new String[] {dir.toString()});
            return 0;
        }
    }
}
