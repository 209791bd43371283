package io.sidstream.tokenizer.window.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.testing.KafkaTestSupport;
import io.sidstream.flink.job.FlinkJobConfig;
import io.sidstream.flink.job.JobEnvironments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job submitted to a cluster that has settings of its own, as {@code flink run} submits it: a cluster with an
 * exponential-delay restart strategy, a checkpoint directory and the heap state backend, which runs jobs at
 * parallelism 2 (its slots, as {@code flink run -p 2} would say). Where sidstream's configuration leaves them unset
 * (its defaults), the job runs with the cluster's settings (issue 19: the job used to set fixed-delay restarts,
 * parallelism 1, its own checkpoint directory and RocksDB over them); where it sets them, its own win.
 */
class ClusterSettingsTest {

    private static final Path CLUSTER_CHECKPOINTS = createDirectory("cluster-settings-checkpoints");
    private static KafkaTestSupport kafka;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(() -> new MiniClusterResourceConfiguration.Builder()
                    .setConfiguration(clusterSettings())
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    @BeforeAll
    static void startBroker() {
        kafka = KafkaTestSupport.startWithCatalogTopics();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    private static Configuration clusterSettings() {
        Configuration cluster = new Configuration();
        cluster.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        cluster.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        cluster.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                CLUSTER_CHECKPOINTS.toUri().toString());
        cluster.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        return cluster;
    }

    @Test
    void withSidstreamsDefaultsTheClusterDecides(@InjectMiniCluster MiniCluster cluster) throws Exception {
        StreamExecutionEnvironment env = submitted(config("cluster-decides", Map.of()));
        JobClient job = env.executeAsync(SequenceWindowsJob.NAME);
        try {
            // the JobMaster takes the cluster's restart strategy when the job's configuration names none
            assertThat(env.getConfiguration().getOptional(RestartStrategyOptions.RESTART_STRATEGY))
                    .isEmpty();
            AccessExecutionGraph graph =
                    cluster.getExecutionGraph(job.getJobID()).get();
            assertThat(graph.getVerticesTopologically()).allSatisfy(vertex -> {
                assertThat(vertex.getParallelism())
                        .as("parallelism of %s", vertex.getName())
                        .isEqualTo(2);
                assertThat(vertex.getMaxParallelism())
                        .as("max parallelism of %s", vertex.getName())
                        .isEqualTo(128);
            });
            // checkpoints go where the cluster keeps them, written by the cluster's state backend
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> hasCheckpoint(
                            CLUSTER_CHECKPOINTS.resolve(job.getJobID().toString())));
            assertThat(cluster.getExecutionGraph(job.getJobID()).get().getStateBackendName())
                    .hasValue("HashMapStateBackend");
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void whatSidstreamsConfigurationSetsWins(@InjectMiniCluster MiniCluster cluster, @TempDir Path checkpoints)
            throws Exception {
        StreamExecutionEnvironment env = submitted(config(
                "sidstream-decides",
                Map.of(
                        "flink.parallelism", "1",
                        "flink.restart-attempts", "3",
                        "flink.checkpoint-dir", checkpoints.toString(),
                        "windows.state-backend", "rocksdb",
                        "windows.max-parallelism", "64")));
        JobClient job = env.executeAsync(SequenceWindowsJob.NAME);
        try {
            assertThat(env.getConfiguration().get(RestartStrategyOptions.RESTART_STRATEGY))
                    .isEqualTo("fixed-delay");
            assertThat(env.getConfiguration().get(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS))
                    .isEqualTo(3);
            AccessExecutionGraph graph =
                    cluster.getExecutionGraph(job.getJobID()).get();
            assertThat(graph.getVerticesTopologically()).allSatisfy(vertex -> {
                assertThat(vertex.getParallelism())
                        .as("parallelism of %s", vertex.getName())
                        .isEqualTo(1);
                assertThat(vertex.getMaxParallelism())
                        .as("max parallelism of %s", vertex.getName())
                        .isEqualTo(64);
            });
            await().atMost(Duration.ofSeconds(90))
                    .until(() ->
                            hasCheckpoint(checkpoints.resolve(job.getJobID().toString())));
            assertThat(cluster.getExecutionGraph(job.getJobID()).get().getStateBackendName())
                    .hasValue("EmbeddedRocksDBStateBackend");
        } finally {
            job.cancel().get();
        }
    }

    /** The job as its main method builds it, in the context this test's cluster sets (as flink run does). */
    private static StreamExecutionEnvironment submitted(SidstreamConfig config) {
        StreamExecutionEnvironment env = JobEnvironments.create(FlinkJobConfig.from(config));
        SequenceWindowsJob.fromConfig(config).build(env);
        return env;
    }

    private static SidstreamConfig config(String name, Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.put("windows.group-id", name);
        all.put("windows.transactional-id-prefix", name);
        return kafka.config(all);
    }

    private static boolean hasCheckpoint(Path jobDir) throws IOException {
        if (!Files.isDirectory(jobDir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(jobDir)) {
            return entries.anyMatch(
                    p -> p.getFileName().toString().startsWith("chk-") && Files.exists(p.resolve("_metadata")));
        }
    }

    private static Path createDirectory(String name) {
        try {
            return Files.createTempDirectory(Files.createDirectories(Path.of("target")), name)
                    .toAbsolutePath();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
