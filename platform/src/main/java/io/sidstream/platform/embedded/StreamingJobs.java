package io.sidstream.platform.embedded;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.flink.job.FlinkJobConfig;
import io.sidstream.flink.job.JobEnvironments;
import io.sidstream.flink.job.MiniClusterDefaults;
import io.sidstream.flink.job.RetainedCheckpoints;
import io.sidstream.tokenizer.job.SidAssignJob;
import io.sidstream.tokenizer.window.job.SequenceWindowsJob;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's two Flink jobs, sid-assign and sequence-windows, each on a MiniCluster of its own in this JVM (as
 * {@code flink run} would put each on a cluster as a job of its own). Each keeps its checkpoints in
 * {@code <flink.checkpoint-dir>/<job>} and starts from the newest one it left there, so a restarted platform resumes
 * the jobs' state and Kafka offsets: exactly-once output means nothing is lost or written twice across the restart.
 */
final class StreamingJobs implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamingJobs.class);

    private final Map<String, JobClient> jobs = new LinkedHashMap<>();

    static StreamingJobs start(SidstreamConfig config) throws Exception {
        // the MiniClusters here are this platform's own: it sets what a cluster would (parallelism, restarts, storage)
        FlinkJobConfig flink = MiniClusterDefaults.apply(FlinkJobConfig.from(config));
        String checkpointDir = flink.checkpointDir().orElseThrow();
        if (checkpointDir.contains("://")) {
            throw new IllegalArgumentException("sidstream up keeps the jobs' checkpoints on the local disk; "
                    + "flink.checkpoint-dir must be a path, was " + checkpointDir);
        }
        StreamingJobs started = new StreamingJobs();
        try {
            started.submit(
                    SidAssignJob.NAME,
                    flink,
                    env -> SidAssignJob.fromConfig(config).build(env));
            started.submit(
                    SequenceWindowsJob.NAME,
                    flink,
                    env -> SequenceWindowsJob.fromConfig(config).build(env));
            return started;
        } catch (Exception | Error e) {
            started.close();
            throw e;
        }
    }

    private void submit(String name, FlinkJobConfig flink, Consumer<StreamExecutionEnvironment> graph)
            throws Exception {
        Path dir = Path.of(flink.checkpointDir().orElseThrow()).resolve(name);
        FlinkJobConfig job = flink.withCheckpointDir(dir.toString());
        if (flink.restoreFrom().isEmpty()) {
            Optional<Path> latest = RetainedCheckpoints.latest(dir);
            if (latest.isPresent()) {
                job = job.withRestoreFrom(latest.get().toString());
                LOG.info("{} resumes from {}", name, latest.get());
            }
        }
        StreamExecutionEnvironment env = JobEnvironments.create(job);
        graph.accept(env);
        jobs.put(name, env.executeAsync(name));
    }

    /** Each job's state as Flink reports it (RUNNING, RESTARTING, ...). */
    Map<String, String> states() {
        Map<String, String> states = new LinkedHashMap<>();
        jobs.forEach((name, client) -> {
            String state;
            try {
                state = client.getJobStatus().get(5, TimeUnit.SECONDS).name();
            } catch (Exception e) {
                state = "UNKNOWN";
            }
            states.put(name, state);
        });
        return states;
    }

    /**
     * Cancels the jobs, all at once rather than one after the other (a stop has seconds); their checkpoints are
     * retained, and the next start resumes from them.
     */
    @Override
    public void close() {
        Map<String, java.util.concurrent.CompletableFuture<?>> cancelling = new LinkedHashMap<>();
        jobs.forEach((name, client) -> cancelling.put(name, client.cancel()));
        cancelling.forEach((name, cancelled) -> {
            try {
                cancelled.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("cannot cancel the {} job cleanly: {}", name, e.toString());
            }
        });
        jobs.clear();
    }
}
