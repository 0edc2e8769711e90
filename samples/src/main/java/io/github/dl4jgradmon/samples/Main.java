package io.github.dl4jgradmon.samples;

import io.github.dl4jgradmon.samples.check.CheckTool;
import io.github.dl4jgradmon.samples.check.ExampleConfigs;

import java.util.Arrays;

/**
 * Entry point of the samples module: {@code mvn -q -pl samples -am compile exec:java [-Dexec.args="<sample>"]}.
 * Without arguments it runs the vanishing-gradients sample; {@code check --config model.json ...} runs the
 * pre-flight gradient check ({@link CheckTool}).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws java.io.IOException {
        String what = args.length == 0 ? "vanishing" : args[0];
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        switch (what) {
            case "vanishing" -> VanishingGradientsSample.main(rest);
            case "check" -> System.exit(CheckTool.run(rest, System.out, System.err));
            case "check-examples" -> ExampleConfigs.main(rest);
            default -> {
                System.err.println("unknown sample '" + what + "'; valid: vanishing, check, check-examples");
                System.exit(2);
            }
        }
    }
}
