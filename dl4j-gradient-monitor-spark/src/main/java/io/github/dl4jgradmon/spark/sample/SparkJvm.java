package io.github.dl4jgradmon.spark.sample;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a main class in a JVM that has the flags Spark 3.1 needs on Java 17. {@code mvn ... exec:java} runs the main
 * class inside Maven's own JVM, which was started without them; rather than asking every user to set
 * {@code MAVEN_OPTS}, a main that finds them missing starts a child JVM with them, the same classpath and the same
 * arguments, waits for it and exits with its exit code.
 *
 * <p>The flags: {@code --add-opens=java.base/java.nio=ALL-UNNAMED} and
 * {@code --add-exports=java.base/sun.nio.ch=ALL-UNNAMED} let Spark's {@code Platform} and {@code StorageUtils} reach
 * {@code DirectByteBuffer}'s constructor and {@code sun.nio.ch.DirectBuffer} (without them Spark fails at start-up
 * with an {@code IllegalAccessError}); {@code --add-exports=java.base/sun.security.action=ALL-UNNAMED} and
 * {@code --add-opens=java.base/java.io=ALL-UNNAMED} let Spark's serialization debugger explain a
 * {@code NotSerializableException} instead of failing with an access error of its own.
 */
public final class SparkJvm {

    /** The flags, as on a spark-submit command line ({@code spark.driver/executor.extraJavaOptions}). */
    public static final List<String> FLAGS = List.of("--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-exports=java.base/sun.security.action=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED");

    private SparkJvm() {
    }

    /** True when this JVM was started with the flags Spark needs. */
    public static boolean hasFlags() {
        Module base = Object.class.getModule();
        Module self = SparkJvm.class.getModule();
        return base.isOpen("java.nio", self) && base.isExported("sun.nio.ch", self);
    }

    /**
     * Returns normally when this JVM has the flags; otherwise runs {@code main} with {@code args} in a child JVM that
     * has them and exits with the child's exit code.
     */
    public static void ensureFlags(Class<?> main, String[] args) {
        if (hasFlags()) {
            return;
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(FLAGS);
        command.add("-Xmx" + Math.max(512, Runtime.getRuntime().maxMemory() / (1024 * 1024) / 2) + "m");
        List<String> classpath = classpath(main);
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        try {
            if (String.join(" ", args).contains("local-cluster[")) {
                localCluster(classpath, command, pb);
            }
        } catch (IOException e) {
            System.err.println("could not prepare local-cluster mode (" + e.getMessage() + ")");
            System.exit(2);
        }
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classpath));
        command.add(main.getName());
        command.addAll(List.of(args));
        System.err.println("Spark needs " + String.join(" ", FLAGS) + " on Java 17; running " + main.getSimpleName()
                + " in a child JVM with them");
        try {
            Process p = pb.start();
            System.exit(p.waitFor());
        } catch (IOException e) {
            System.err.println("could not start a child JVM (" + e.getMessage() + "); run java with "
                    + String.join(" ", FLAGS));
            System.exit(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.exit(130);
        }
    }

    /**
     * {@code local-cluster[n,cores,mb]} starts executor JVMs through a Spark distribution's launcher, which Maven does
     * not provide ("Cannot find any build directories"). This lays one out: {@code target/spark-home/jars} links every
     * jar of the classpath, {@code SPARK_HOME} and {@code SPARK_SCALA_VERSION} point there, the classpath's directories
     * (the modules' classes) become {@code spark.executor.extraClassPath}, and the executors get the flags too.
     */
    private static void localCluster(List<String> classpath, List<String> command, ProcessBuilder pb)
            throws IOException {
        Path home = Path.of("target", "spark-home").toAbsolutePath();
        Path jars = home.resolve("jars");
        Files.createDirectories(jars);
        List<String> dirs = new ArrayList<>();
        for (String entry : classpath) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p)) {
                dirs.add(p.toAbsolutePath().toString());
            } else if (entry.endsWith(".jar") && Files.exists(p)) {
                Path link = jars.resolve(p.getFileName());
                Files.deleteIfExists(link);
                Files.createSymbolicLink(link, p.toAbsolutePath());
            }
        }
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.12");
        command.add("-Dspark.executor.extraJavaOptions=" + String.join(" ", FLAGS));
        command.add("-Dspark.executor.extraClassPath=" + String.join(File.pathSeparator, dirs));
    }

    /** The classpath that loaded {@code main}: exec:java's class loader URLs, else java.class.path. */
    private static List<String> classpath(Class<?> main) {
        List<String> entries = new ArrayList<>();
        for (ClassLoader cl = main.getClassLoader(); cl != null; cl = cl.getParent()) {
            if (cl instanceof URLClassLoader u) {
                for (URL url : u.getURLs()) {
                    if ("file".equals(url.getProtocol())) {
                        entries.add(new File(java.net.URI.create(url.toString())).getPath());
                    }
                }
                break;
            }
        }
        return entries.isEmpty() ? List.of(System.getProperty("java.class.path").split(File.pathSeparator)) : entries;
    }
}
