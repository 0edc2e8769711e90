package io.github.dl4jgradmon.samples.check;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The parsed command line of {@code check}.
 *
 * @param config      the DL4J configuration JSON
 * @param data        a numeric CSV to train on; synthetic data when empty
 * @param labelColumn zero-based label column of the CSV; the last column when empty
 * @param iterations  training iterations (default 100)
 * @param batch       minibatch size (default 32)
 * @param seed        seed of the synthetic data and of the shuffling (default 42)
 * @param json        where to write the JSON report
 */
record CheckOptions(Path config, Optional<Path> data, OptionalInt labelColumn, int iterations, int batch, long seed,
                    Optional<Path> json) {

    static final String USAGE = "usage: check --config model.json [--data train.csv [--label-column K]] "
            + "[--iterations N] [--batch B] [--seed S] [--json report.json]";

    static CheckOptions parse(String[] args) {
        Path config = null;
        Path data = null;
        Integer labelColumn = null;
        int iterations = 100;
        int batch = 32;
        long seed = 42;
        Path json = null;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (!option.startsWith("--")) {
                throw new BadInputException("unexpected argument '" + option + "'; " + USAGE);
            }
            if (!isKnown(option)) {
                throw new BadInputException("unknown option '" + option + "'; valid: --config, --data, "
                        + "--label-column, --iterations, --batch, --seed, --json");
            }
            if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                throw new BadInputException(option + " needs a value; " + USAGE);
            }
            String value = args[++i];
            switch (option) {
                case "--config" -> config = Path.of(value);
                case "--data" -> data = Path.of(value);
                case "--label-column" -> labelColumn = nonNegativeInt(option, value, 0);
                case "--iterations" -> iterations = nonNegativeInt(option, value, 1);
                case "--batch" -> batch = nonNegativeInt(option, value, 1);
                case "--seed" -> seed = longValue(option, value);
                case "--json" -> json = Path.of(value);
                default -> throw new IllegalStateException(option);
            }
        }
        if (config == null) {
            throw new BadInputException("--config is required; " + USAGE);
        }
        if (labelColumn != null && data == null) {
            throw new BadInputException("--label-column needs --data");
        }
        return new CheckOptions(config, Optional.ofNullable(data),
                labelColumn == null ? OptionalInt.empty() : OptionalInt.of(labelColumn), iterations, batch, seed,
                Optional.ofNullable(json));
    }

    private static boolean isKnown(String option) {
        return switch (option) {
            case "--config", "--data", "--label-column", "--iterations", "--batch", "--seed", "--json" -> true;
            default -> false;
        };
    }

    private static int nonNegativeInt(String option, String value, int min) {
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new BadInputException(option + " must be an integer >= " + min + " (got: " + value + ")");
        }
        if (n < min) {
            throw new BadInputException(option + " must be an integer >= " + min + " (got: " + value + ")");
        }
        return n;
    }

    private static long longValue(String option, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new BadInputException(option + " must be an integer (got: " + value + ")");
        }
    }
}
