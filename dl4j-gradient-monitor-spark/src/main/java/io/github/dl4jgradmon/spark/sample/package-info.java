/**
 * Runnable mains, not API: {@link io.github.dl4jgradmon.spark.sample.SparkSample} (NaN rows on one partition, the
 * worker's alert on the driver), {@link io.github.dl4jgradmon.spark.sample.SparkEpochBenchmark} (epoch time and heap
 * over many epochs with and without the monitor) and {@link io.github.dl4jgradmon.spark.sample.SparkJvm} (re-runs a
 * main with the Java 17 flags Spark needs, and prepares local-cluster mode).
 *
 * <pre>
 * mvn -q -pl dl4j-gradient-monitor-spark -am compile exec:java -Dexec.args="--epochs 3"
 * </pre>
 */
package io.github.dl4jgradmon.spark.sample;
