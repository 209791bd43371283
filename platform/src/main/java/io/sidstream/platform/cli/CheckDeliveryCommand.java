package io.sidstream.platform.cli;

import io.sidstream.core.cli.ConfigOptions;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.platform.check.DeliveryCheck;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sidstream check-delivery}: whether anything was lost or written twice, from the topics themselves. */
@Command(
        name = "check-delivery",
        mixinStandardHelpOptions = true,
        description =
                "Check the topics of a running platform: every settled upload has a SID, a dead letter, a removal "
                        + "or waits for a codebook; no SID or training example was written twice. Exits 3 when something was.")
public final class CheckDeliveryCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--settle",
            paramLabel = "SECONDS",
            defaultValue = "60",
            description =
                    "Leave out uploads younger than this; they may still be on their way to a SID (default ${DEFAULT-VALUE}).")
    long settleSeconds;

    @Override
    public Integer call() {
        SidstreamConfig config = configOptions.loadForCluster("check-delivery");
        DeliveryCheck.Report report = DeliveryCheck.run(config, Duration.ofSeconds(settleSeconds), Clock.systemUTC());
        PrintWriter out = spec.commandLine().getOut();
        out.println(report);
        out.flush();
        return report.nothingLost() ? 0 : 3;
    }
}
