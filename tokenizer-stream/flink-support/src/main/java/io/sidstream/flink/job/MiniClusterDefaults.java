package io.sidstream.flink.job;

import io.sidstream.flink.metrics.PrometheusReporterSettings;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;

/**
 * What a MiniCluster that sidstream starts in its own JVM ({@code sidstream up}, the {@code sid-assign} and
 * {@code sequence-windows} commands, benchmarks, tests) runs with where sidstream's configuration leaves a setting to
 * the cluster: such a MiniCluster is the cluster, and has no configuration file of its own. On a real cluster none of
 * this applies; its own settings do.
 */
public final class MiniClusterDefaults {

    /** Where checkpoints go unless {@code flink.checkpoint-dir} says: under the embedded platform's data directory. */
    public static final String CHECKPOINT_DIR = "data/flink/checkpoints";
    /** One slot's worth: the embedded platform runs each job on its own MiniCluster beside everything else. */
    public static final int PARALLELISM = 1;
    /** Fixed-delay restarts (every {@code flink.restart-delay}): a job in one JVM fails for its own reasons only. */
    public static final int RESTART_ATTEMPTS = 10;
    /** The state backend both jobs are tuned for (larger than memory, incremental checkpoints). */
    public static final String STATE_BACKEND = "rocksdb";

    private MiniClusterDefaults() {}

    /** {@code job} with the cluster's share filled in where it is empty. */
    public static FlinkJobConfig apply(FlinkJobConfig job) {
        return job.orElse(CHECKPOINT_DIR, PARALLELISM, RESTART_ATTEMPTS);
    }

    /** The MiniCluster's own configuration: what a cluster's configuration file would say. */
    public static Configuration clusterConfiguration(FlinkJobConfig job) {
        Configuration flink = new Configuration();
        flink.set(StateBackendOptions.STATE_BACKEND, STATE_BACKEND);
        flink.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        flink.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, new MemorySize(job.managedMemoryBytes()));
        if (job.metricsPort() > 0) {
            PrometheusReporterSettings.apply(flink, job.metricsPort());
        }
        // a MiniCluster in this JVM takes its temporary directories from here, not from the system property
        String tmpDirs = System.getProperty(CoreOptions.TMP_DIRS.key());
        if (tmpDirs != null && !tmpDirs.isBlank()) {
            flink.set(CoreOptions.TMP_DIRS, tmpDirs);
        }
        return flink;
    }
}
