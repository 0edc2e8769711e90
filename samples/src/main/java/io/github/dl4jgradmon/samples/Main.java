package io.github.dl4jgradmon.samples;

import io.github.dl4jgradmon.samples.check.CheckTool;
import io.github.dl4jgradmon.samples.check.ExampleConfigs;

import java.util.Arrays;

/**
 * Entry point of the samples module: {@code mvn -q -pl samples -am compile exec:java [-Dexec.args="<sample>"]}.
 * Without arguments it runs the tour (the main job); {@code check --config model.json ...} runs the
 * pre-flight gradient check ({@link CheckTool}).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        String what = args.length == 0 ? "tour" : args[0];
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        switch (what) {
            case "tour" -> Tour.main(rest);
            case "vanishing" -> VanishingGradientsSample.main(rest);
            case "exploding" -> ExplodingGradientsSample.main(rest);
            case "poisoned" -> PoisonedBatchSample.main(rest);
            case "dying-relu" -> DyingReluSample.main(rest);
            case "graph-parallel" -> GraphAndParallelSample.main(rest);
            case "dashboard" -> DashboardSample.main(rest);
            case "report" -> ReportCommand.main(rest);
            case "check" -> System.exit(CheckTool.run(rest, System.out, System.err));
            case "check-examples" -> ExampleConfigs.main(rest);
            default -> {
                System.err.println("unknown sample '" + what
                        + "'; valid: tour, vanishing, exploding, poisoned, dying-relu, graph-parallel, "
                        + "dashboard, check, check-examples, report");
                System.exit(2);
            }
        }
    }
}
