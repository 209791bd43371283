package io.sidstream.tokenizer.cli;

import io.sidstream.core.cli.ConfigOptions;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.flink.job.FlinkJobConfig;
import io.sidstream.flink.job.JobEnvironments;
import io.sidstream.tokenizer.job.SidAssignJob;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sidstream sid-assign}: runs the sid-assign job against the configured Kafka cluster, in this JVM. */
@Command(name = "sid-assign", description = "Run the sid-assign Flink job (a MiniCluster in this process) against the "
        + "configured Kafka cluster until stopped.", mixinStandardHelpOptions = true)
public final class SidAssignCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Override
    public Integer call() throws Exception {
        SidstreamConfig config = configOptions.load();
        StreamExecutionEnvironment env = JobEnvironments.create(FlinkJobConfig.from(config));
        SidAssignJob.fromConfig(config).build(env);
        env.execute(SidAssignJob.NAME);
        return 0;
    }
}
