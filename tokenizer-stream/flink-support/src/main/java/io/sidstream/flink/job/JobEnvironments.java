package io.sidstream.flink.job;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Stream environments configured the same way for every sidstream job. */
public final class JobEnvironments {

    private JobEnvironments() {}

    /**
     * The environment of the current context. Submitted with {@code flink run} (or by the Kubernetes operator), that is
     * the cluster's, and its parallelism, restart strategy, checkpoint storage and state backend stay as the cluster
     * and the submitter set them unless sidstream's configuration names them. Run from code with no cluster around,
     * it is a MiniCluster in this JVM configured by {@link MiniClusterDefaults}.
     */
    public static StreamExecutionEnvironment create(FlinkJobConfig job) {
        if (StreamExecutionEnvironment.areExplicitEnvironmentsAllowed()) {
            return configure(
                    StreamExecutionEnvironment.createLocalEnvironment(MiniClusterDefaults.clusterConfiguration(job)),
                    MiniClusterDefaults.apply(job));
        }
        return configure(StreamExecutionEnvironment.getExecutionEnvironment(), job);
    }

    /**
     * Applies checkpointing, buffering and whatever of parallelism, restarts and checkpoint storage sidstream's
     * configuration sets to an environment made elsewhere (a test's cluster).
     */
    public static StreamExecutionEnvironment configure(StreamExecutionEnvironment env, FlinkJobConfig job) {
        env.configure(job.jobConfiguration(), JobEnvironments.class.getClassLoader());
        env.enableCheckpointing(job.checkpointInterval().toMillis(), job.checkpointingMode());
        job.parallelism().ifPresent(env::setParallelism);
        env.setBufferTimeout(job.bufferTimeout().toMillis());
        return env;
    }
}
