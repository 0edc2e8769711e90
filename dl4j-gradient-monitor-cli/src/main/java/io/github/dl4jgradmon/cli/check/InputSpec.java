package io.github.dl4jgradmon.cli.check;

import java.util.Locale;

/**
 * The shape of one network input, as the check tool feeds it.
 *
 * @param name         the input's name (a ComputationGraph input; {@code "input"} for a MultiLayerNetwork)
 * @param kind         what the input is
 * @param size         values per example (FEED_FORWARD, CONVOLUTIONAL_FLAT) or per time step (RECURRENT)
 * @param steps        time steps (RECURRENT only, else 0)
 * @param height       image height (CONVOLUTIONAL, CONVOLUTIONAL_FLAT, else 0)
 * @param width        image width
 * @param channels     image channels
 * @param channelsLast NHWC images or NWC sequences (DL4J's default is channels first: NCHW, NCW)
 */
record InputSpec(String name, Kind kind, long size, int steps, long height, long width, long channels,
                 boolean channelsLast) {

    enum Kind { FEED_FORWARD, RECURRENT, CONVOLUTIONAL, CONVOLUTIONAL_FLAT }

    static InputSpec feedForward(String name, long size) {
        return new InputSpec(name, Kind.FEED_FORWARD, size, 0, 0, 0, 0, false);
    }

    static InputSpec recurrent(String name, long size, int steps, boolean channelsLast) {
        return new InputSpec(name, Kind.RECURRENT, size, steps, 0, 0, 0, channelsLast);
    }

    static InputSpec convolutional(String name, long h, long w, long c, boolean channelsLast) {
        return new InputSpec(name, Kind.CONVOLUTIONAL, h * w * c, 0, h, w, c, channelsLast);
    }

    static InputSpec convolutionalFlat(String name, long h, long w, long c) {
        return new InputSpec(name, Kind.CONVOLUTIONAL_FLAT, h * w * c, 0, h, w, c, false);
    }

    /** The array shape of a minibatch of {@code batch} examples. */
    long[] shape(int batch) {
        return switch (kind) {
            case FEED_FORWARD, CONVOLUTIONAL_FLAT -> new long[] {batch, size};
            case RECURRENT -> channelsLast ? new long[] {batch, steps, size} : new long[] {batch, size, steps};
            case CONVOLUTIONAL -> channelsLast ? new long[] {batch, height, width, channels}
                    : new long[] {batch, channels, height, width};
        };
    }

    /** Values in one example. */
    long valuesPerExample() {
        return kind == Kind.RECURRENT ? size * steps : size;
    }

    boolean isImage() {
        return kind == Kind.CONVOLUTIONAL || kind == Kind.CONVOLUTIONAL_FLAT;
    }

    String describe() {
        return switch (kind) {
            case FEED_FORWARD -> "feed-forward, " + size + " inputs";
            case RECURRENT -> String.format(Locale.ROOT, "recurrent, %d inputs x %d steps (%s)", size, steps,
                    channelsLast ? "NWC" : "NCW");
            case CONVOLUTIONAL -> String.format(Locale.ROOT, "convolutional, %dx%dx%d (%s)", height, width, channels,
                    channelsLast ? "NHWC" : "NCHW");
            case CONVOLUTIONAL_FLAT -> String.format(Locale.ROOT, "convolutional, %dx%dx%d given flat (%d values)",
                    height, width, channels, size);
        };
    }
}
