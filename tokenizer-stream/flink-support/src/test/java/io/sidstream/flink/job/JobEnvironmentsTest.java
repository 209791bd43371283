package io.sidstream.flink.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.sidstream.core.config.ConfigLoader;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * Outside a cluster's context a job gets a MiniCluster of its own, which has no settings but sidstream's: the gaps the
 * defaults leave for a cluster are filled there (ClusterSettingsTest in sequence-windows has the cluster's side).
 */
class JobEnvironmentsTest {

    @Test
    void anOwnMiniClusterGetsTheEmbeddedDefaults() {
        StreamExecutionEnvironment env = JobEnvironments.create(FlinkJobConfig.from(ConfigLoader.defaults()));

        assertThat(env.getParallelism()).isEqualTo(MiniClusterDefaults.PARALLELISM);
        assertThat(env.getConfiguration().get(RestartStrategyOptions.RESTART_STRATEGY))
                .isEqualTo("fixed-delay");
        assertThat(env.getConfiguration().get(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS))
                .isEqualTo(MiniClusterDefaults.RESTART_ATTEMPTS);
        assertThat(env.getConfiguration().get(StateBackendOptions.STATE_BACKEND))
                .isEqualTo("rocksdb");
        assertThat(env.getConfiguration().get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                .isEqualTo(Path.of(MiniClusterDefaults.CHECKPOINT_DIR)
                        .toAbsolutePath()
                        .toUri()
                        .toString());
        assertThat(env.getConfiguration().get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
                .isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    }

    @Test
    void theDefaultsLeaveTheClustersSettingsAlone() {
        FlinkJobConfig defaults = FlinkJobConfig.from(ConfigLoader.defaults());

        assertThat(defaults.parallelism()).isEmpty();
        assertThat(defaults.restartAttempts()).isEmpty();
        assertThat(defaults.checkpointDir()).isEmpty();
        assertThat(defaults.jobConfiguration().toMap()).isEmpty();
    }

    @Test
    void explicitSettingsReachTheJob() {
        FlinkJobConfig job = FlinkJobConfig.from(ConfigLoader.withOverrides(Map.of(
                "flink.parallelism",
                "3",
                "flink.restart-attempts",
                "4",
                "flink.checkpoint-dir",
                "s3://bucket/checkpoints")));

        assertThat(job.parallelism()).hasValue(3);
        assertThat(job.jobConfiguration().get(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS))
                .isEqualTo(4);
        assertThat(job.jobConfiguration().get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                .isEqualTo("s3://bucket/checkpoints");
        // an explicit setting is also what a MiniCluster of sidstream's own runs with
        assertThat(MiniClusterDefaults.apply(job).parallelism()).hasValue(3);
    }
}
