package io.sidstream.tokenizer.cli;

import io.sidstream.core.cli.ConfigOptions;
import io.sidstream.tokenizer.job.SidAssignJob;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sidstream sid-assign}: runs the sid-assign job against the configured Kafka cluster, in this JVM. */
@Command(
        name = "sid-assign",
        description = "Run the sid-assign Flink job (a MiniCluster in this process) against the "
                + "configured Kafka cluster until stopped.",
        mixinStandardHelpOptions = true)
public final class SidAssignCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Override
    public Integer call() throws Exception {
        SidAssignJob.run(configOptions.load());
        return 0;
    }
}
