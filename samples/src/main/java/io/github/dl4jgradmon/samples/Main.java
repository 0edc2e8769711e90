package io.github.dl4jgradmon.samples;

import io.github.dl4jgradmon.cli.CommandLines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/**
 * Entry point of the samples module: {@code mvn -q -pl samples -am compile exec:java [-Dexec.args="<command> ..."]}.
 * Without arguments it runs the tour (the main job); {@code --help} lists the commands, {@code <command> --help} the
 * options of one. The command line is parsed by picocli; a bad option gives one line, the synopsis and exit code 2.
 * The tools a user runs on files ({@code check}, {@code report}) are the {@code gradmon} command of the
 * {@code dl4j-gradient-monitor-cli} module.
 */
@Command(name = "samples", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "dl4j-gradient-monitor samples. Without a command: the tour.",
        subcommands = {Main.TourCommand.class, CommandLine.HelpCommand.class, Main.Vanishing.class,
            Main.Exploding.class, Main.Poisoned.class, Main.DyingRelu.class, Main.GraphParallel.class,
            Main.Dashboard.class},
        footerHeading = "%nRun:%n",
        footer = "  mvn -q -pl samples -am compile exec:java -Dexec.args=\"<command> [options]\"")
public final class Main implements Callable<Integer> {

    public static void main(String[] args) {
        System.exit(commandLine(System.out, System.err).execute(args));
    }

    /** The command line of every sample: a bad option gives one line, the synopsis and exit code 2. */
    static CommandLine commandLine(PrintStream out, PrintStream err) {
        return CommandLines.standard(new CommandLine(new Main()), out, err);
    }

    @Override
    public Integer call() throws Exception {
        return new TourCommand().call();
    }

    @Command(name = "tour", mixinStandardHelpOptions = true,
            description = {"The main job: every capability, briefly, on synthetic data; a summary table, an HTML "
                    + "report and the DL4J UI with the gradient page.",
                "From a terminal the UI stays up until Enter (or Ctrl+C); otherwise (CI, a pipe) the tour exits by "
                        + "itself."})
    static final class TourCommand implements Callable<Integer> {
        @Option(names = "--keep-ui", description = "Keep the UI up until the process is stopped, even without a "
                + "terminal.")
        boolean keepUi;

        @Override
        public Integer call() throws Exception {
            Tour.run(System.out, Tour.Terminal.system(), keepUi);
            return 0;
        }
    }

    @Command(name = "vanishing", mixinStandardHelpOptions = true,
            description = "A 10-layer sigmoid MLP's gradient profile, then the ReLU + He fix.")
    static final class Vanishing implements Callable<Integer> {
        @Override
        public Integer call() {
            VanishingGradientsSample.main(new String[0]);
            return 0;
        }
    }

    @Command(name = "exploding", mixinStandardHelpOptions = true,
            description = "An exploding RNN, alerted before the NaN, rescued by each clipping strategy.")
    static final class Exploding implements Callable<Integer> {
        @Override
        public Integer call() {
            ExplodingGradientsSample.main(new String[0]);
            return 0;
        }
    }

    @Command(name = "poisoned", mixinStandardHelpOptions = true,
            description = "NaN batches skipped; the same final loss as clean data.")
    static final class Poisoned implements Callable<Integer> {
        @Override
        public Integer call() {
            PoisonedBatchSample.main(new String[0]);
            return 0;
        }
    }

    @Command(name = "dying-relu", mixinStandardHelpOptions = true,
            description = "Dead ReLU units by zero fraction, the DEAD_UNITS alert, the LeakyReLU twin.")
    static final class DyingRelu implements Callable<Integer> {
        @Override
        public Integer call() {
            DyingReluSample.main(new String[0]);
            return 0;
        }
    }

    @Command(name = "graph-parallel", mixinStandardHelpOptions = true,
            description = "A residual ComputationGraph by vertex name; ParallelWrapper with per-worker statistics.")
    static final class GraphParallel implements Callable<Integer> {
        @Override
        public Integer call() {
            GraphAndParallelSample.main(new String[0]);
            return 0;
        }
    }

    @Command(name = "dashboard", mixinStandardHelpOptions = true,
            description = "The monitor and DL4J's StatsListener in one session on one UI server.")
    static final class Dashboard implements Callable<Integer> {
        @Option(names = "--seconds", paramLabel = "N", defaultValue = "30",
                description = "Keep the UI up this long after training (default: ${DEFAULT-VALUE}).")
        int seconds;

        @Override
        public Integer call() throws InterruptedException {
            if (seconds < 0) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--seconds must be >= 0 (got: "
                        + seconds + ")");
            }
            DashboardSample.main(new String[] {"--seconds", String.valueOf(seconds)});
            return 0;
        }
    }
}
