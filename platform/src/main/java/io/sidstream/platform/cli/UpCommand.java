package io.sidstream.platform.cli;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.platform.embedded.EmbeddedPlatform;
import io.sidstream.platform.embedded.LiveSummary;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import io.sidstream.core.cli.ConfigOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the platform on embedded defaults (or the configured cluster) until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start sidstream: the embedded KRaft broker and mock registry unless configured otherwise, "
                + "the topics and schemas; print where everything is, then a live summary until Ctrl-C.")
public final class UpCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--summary-every", paramLabel = "SECONDS", defaultValue = "15",
            description = "Seconds between live summary lines (default ${DEFAULT-VALUE}).")
    int summarySeconds;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        SidstreamConfig configured = configOptions.load();
        PrintStream out = System.out;
        EmbeddedPlatform platform = EmbeddedPlatform.start(configured);
        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopped.countDown();
            out.println("sidstream: stopping...");
            platform.close();
            closed.countDown();
            out.println("sidstream: stopped cleanly");
        }, "sidstream-shutdown"));

        printWhereEverythingIs(out, platform, (System.nanoTime() - started) / 1e9);
        try (LiveSummary summary = new LiveSummary(platform.config())) {
            while (!stopped.await(summarySeconds, TimeUnit.SECONDS)) {
                out.println(summary.line());
            }
        } catch (RuntimeException e) {
            if (stopped.getCount() > 0) {
                throw e;
            }
        }
        closed.await(60, TimeUnit.SECONDS);
        return 0;
    }

    private static void printWhereEverythingIs(PrintStream out, EmbeddedPlatform platform, double seconds) {
        SidstreamConfig config = platform.config();
        out.println();
        out.println("sidstream is up (" + String.format("%.1f", seconds) + " s)");
        out.println("  Kafka bootstrap : " + config.kafka().bootstrapServers()
                + (platform.brokerEmbedded() ? "  (embedded KRaft broker, data in " + platform.brokerDataDir() + ")" : ""));
        out.println("  Schema registry : " + config.registry().url() + "  (" + platform.schemaIds().size() + " subjects)");
        out.println("  Metrics         : http://" + config.section("metrics").getString("host") + ":"
                + platform.metricsPort() + "/metrics");
        out.println("  Status page     : http://" + config.section("platform").getString("status-host") + ":"
                + platform.statusPort() + "/");
        out.println("  Topics          :");
        platform.topics().forEach(t -> out.println("    " + t));
        out.println("Press Ctrl-C to stop.");
        out.println();
    }
}
