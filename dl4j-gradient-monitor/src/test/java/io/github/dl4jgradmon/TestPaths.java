package io.github.dl4jgradmon;

import io.github.dl4jgradmon.stats.BufferPath;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs a test on one buffer path: {@link BufferPath#ND4J} is forced with its system property (read when the monitor
 * first sees a model), {@link BufferPath#HOST} is the CPU default. Tests call {@link #use} first and {@link #reset}
 * after each test.
 */
final class TestPaths {

    private static BufferPath current = BufferPath.HOST;

    private TestPaths() {
    }

    static void use(BufferPath path) {
        current = path;
        if (path == BufferPath.ND4J) {
            System.setProperty(BufferPath.PROPERTY, "true");
        } else {
            System.clearProperty(BufferPath.PROPERTY);
        }
    }

    static void reset() {
        use(BufferPath.HOST);
    }

    /** The monitor read worker 0 on the path the test asked for. */
    static void check(GradientMonitor monitor) {
        assertThat(monitor.bufferPath("0")).as("buffer path").contains(current);
    }
}
