package io.github.dl4jgradmon.spark;

import io.github.dl4jgradmon.ui.StorageIds;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;

/**
 * Names a worker's series after where it runs: {@code "<executor id>-p<partition>"}, e.g. {@code "driver-p1"} in
 * local mode (Spark calls the local executor "driver") or {@code "3-p0"} on a cluster. Under the parameter-averaging
 * master each split is repartitioned into {@code numWorkers} partitions, so partition {@code i} of every split
 * continues the same series on the same executor; a partition that moves to another executor starts a new series.
 * The name is made {@link StorageIds#sanitize safe} for DL4J's storages (an executor id is not the user's to choose).
 */
final class SeriesNames {

    private SeriesNames() {
    }

    /** The name for the current Spark task, or {@code fallback} outside of one. */
    static String current(String fallback) {
        TaskContext task = TaskContext.get();
        if (task == null) {
            return StorageIds.sanitize(fallback);
        }
        SparkEnv env = SparkEnv.get();
        String executor = env == null ? "executor" : env.executorId();
        return StorageIds.sanitize(executor + "-p" + task.partitionId());
    }
}
