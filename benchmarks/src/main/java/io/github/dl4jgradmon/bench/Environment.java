package io.github.dl4jgradmon.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** What a reader needs next to a table: kernels in use, JVM flags, cores, the machine's load. */
final class Environment {

    private Environment() {
    }

    static String kernels() {
        boolean vector = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                && !"false".equalsIgnoreCase(System.getProperty("dl4jgradmon.vector"));
        return vector ? "Vector API kernels (--add-modules jdk.incubator.vector)" : "portable kernels (no JVM flag)";
    }

    /** The 1, 5 and 15 minute load averages from /proc/loadavg, or the JVM's 1-minute figure elsewhere. */
    static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return String.valueOf(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    static String stamp() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS) + ", load average (1/5/15 min) " + load() + ", "
                + Runtime.getRuntime().availableProcessors() + " cores";
    }

    static String jvm() {
        return "Java " + System.getProperty("java.version") + ", JVM flags: "
                + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments());
    }
}
