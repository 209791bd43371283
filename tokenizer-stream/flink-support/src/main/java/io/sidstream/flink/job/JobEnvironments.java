package io.sidstream.flink.job;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Stream environments configured the same way for every sidstream job. */
public final class JobEnvironments {

    private JobEnvironments() {
    }

    /**
     * The environment of the current context: a MiniCluster inside this JVM when run from code, the cluster when the
     * job jar is submitted with {@code flink run}.
     */
    public static StreamExecutionEnvironment create(FlinkJobConfig job) {
        return configure(StreamExecutionEnvironment.getExecutionEnvironment(job.toFlinkConfiguration()), job);
    }

    /** Applies checkpointing and parallelism to an environment made elsewhere (a test's MiniCluster). */
    public static StreamExecutionEnvironment configure(StreamExecutionEnvironment env, FlinkJobConfig job) {
        Configuration flink = job.toFlinkConfiguration();
        env.configure(flink, JobEnvironments.class.getClassLoader());
        env.enableCheckpointing(job.checkpointInterval().toMillis(), job.checkpointingMode());
        env.setParallelism(job.parallelism());
        env.setBufferTimeout(job.bufferTimeout().toMillis());
        return env;
    }
}
