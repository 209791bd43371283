package io.sidstream.tokenizer.window.cli;

import io.sidstream.core.cli.ConfigOptions;
import io.sidstream.tokenizer.window.job.SequenceWindowsJob;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Runs the sequence-windows job against the configured Kafka cluster until it is cancelled: in this JVM on a
 * MiniCluster, or on a Flink cluster when the job jar is submitted with {@code flink run}.
 */
@Command(
        name = "sequence-windows",
        mixinStandardHelpOptions = true,
        description =
                "Run the sequence-windows Flink job: engagements + SIDs -> per-user histories -> training-examples.")
public final class SequenceWindowsCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Override
    public Integer call() throws Exception {
        // the embedded platform (sidstream up) starts this job itself, on its own broker
        SequenceWindowsJob.run(configOptions.loadForCluster("sequence-windows"));
        return 0;
    }

    /** The job jar's entry point for {@code flink run}: the same options as the launcher's subcommand. */
    public static void main(String[] args) {
        int exit = new CommandLine(new SequenceWindowsCommand()).execute(args);
        if (exit != 0) {
            throw new IllegalStateException("sequence-windows exited with " + exit);
        }
    }
}
