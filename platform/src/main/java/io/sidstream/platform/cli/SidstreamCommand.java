package io.sidstream.platform.cli;

import io.sidstream.bench.BenchCommand;
import io.sidstream.ingest.cli.GatewayCommand;
import io.sidstream.ingest.cli.ReplayCommand;
import io.sidstream.ingest.cli.SimulateCommand;
import io.sidstream.platform.eval.EvalCommand;
import io.sidstream.platform.eval.WorldEvalCommand;
import io.sidstream.publisher.cli.PublishCommand;
import io.sidstream.serving.cli.ServeCommand;
import io.sidstream.tokenizer.cli.CodebookCommand;
import io.sidstream.tokenizer.cli.SidAssignCommand;
import io.sidstream.tokenizer.window.cli.SequenceWindowsCommand;
import io.sidstream.trainer.cli.TrainCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sidstream} command and its subcommands. */
@Command(
        name = "sidstream",
        mixinStandardHelpOptions = true,
        versionProvider = SidstreamCommand.Version.class,
        description = "Keeps a generative (semantic-ID) recommender learning continuously from live event streams.",
        subcommands = {
            UpCommand.class,
            TopicsCommand.class,
            GatewayCommand.class,
            ReplayCommand.class,
            SimulateCommand.class,
            CodebookCommand.class,
            SidAssignCommand.class,
            SequenceWindowsCommand.class,
            TrainCommand.class,
            EvalCommand.class,
            WorldEvalCommand.class,
            PublishCommand.class,
            ServeCommand.class,
            BenchCommand.class,
            CheckDeliveryCommand.class,
            CommandLine.HelpCommand.class
        })
public final class SidstreamCommand {

    /** A command line that reports bad input as a usage message and failures as one line, not a stack trace. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new SidstreamCommand(), new PlatformFactory());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("sidstream: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            if (System.getenv("SIDSTREAM_DEBUG") != null) {
                e.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        return cli;
    }

    /** Version from the jar manifest (unknown when run from classes). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = SidstreamCommand.class.getPackage().getImplementationVersion();
            return new String[] {"sidstream " + (version == null ? "(development build)" : version)};
        }
    }
}
