package io.github.dl4jgradmon.cli.check;

import java.util.Arrays;
import java.util.Optional;

/**
 * One {@code --input-shape} value: {@code [name=]H,W,C} (an image) or {@code [name=]N} (N values per example, or per
 * time step for a recurrent input). The name selects a ComputationGraph input; without it the shape is for the only
 * input that needs one.
 */
record ShapeOption(Optional<String> input, long[] dims, String text) {

    ShapeOption {
        dims = dims.clone();
    }

    static ShapeOption parse(String text) {
        String spec = text.strip();
        Optional<String> input = Optional.empty();
        int eq = spec.indexOf('=');
        if (eq >= 0) {
            String name = spec.substring(0, eq).strip();
            if (name.isEmpty()) {
                throw new IllegalArgumentException("--input-shape has an empty input name before '=' (got: " + text
                        + ")");
            }
            input = Optional.of(name);
            spec = spec.substring(eq + 1).strip();
        }
        String[] parts = spec.split(",", -1);
        if (parts.length != 1 && parts.length != 3) {
            throw new IllegalArgumentException("--input-shape must be H,W,C (an image) or N (a vector), optionally "
                    + "prefixed with an input name and '=' (got: " + text + ")");
        }
        long[] dims = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                dims[i] = Long.parseLong(parts[i].strip());
            } catch (NumberFormatException e) {
                dims[i] = -1;
            }
            if (dims[i] < 1 || dims[i] > 1_000_000) {
                throw new IllegalArgumentException("--input-shape values must be integers in [1, 1000000] (got: "
                        + text + ")");
            }
        }
        return new ShapeOption(input, dims, text);
    }

    boolean isImage() {
        return dims.length == 3;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShapeOption s && s.input.equals(input) && Arrays.equals(s.dims, dims);
    }

    @Override
    public int hashCode() {
        return 31 * input.hashCode() + Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return text;
    }
}
