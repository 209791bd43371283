package io.sidstream.platform.cli;

import io.sidstream.core.cli.ConfigOptions;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.flink.job.FlinkJobConfig;
import io.sidstream.flink.job.MiniClusterDefaults;
import io.sidstream.platform.embedded.EmbeddedPlatform;
import io.sidstream.platform.embedded.LiveSummary;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the platform on embedded defaults (or the configured cluster) until Ctrl-C. */
@Command(
        name = "up",
        mixinStandardHelpOptions = true,
        description = "Start sidstream: the embedded KRaft broker and mock registry unless configured otherwise, "
                + "the topics and schemas; print where everything is, then a live summary until Ctrl-C.")
public final class UpCommand implements Callable<Integer> {

    /** What up changes from the components' defaults (short training cycles, a world paced for a laptop). */
    public static final String PROFILE = "up.conf";
    /** Longest the stop waits for a start-up in progress to give up, and main for the stop to finish. */
    private static final java.time.Duration STOP_WAIT = java.time.Duration.ofSeconds(60);

    @Mixin
    ConfigOptions configOptions;

    @Option(
            names = "--summary-every",
            paramLabel = "SECONDS",
            defaultValue = "15",
            description = "Seconds between live summary lines (default ${DEFAULT-VALUE}).")
    int summarySeconds;

    @Option(
            names = "--replay",
            paramLabel = "DIR",
            description = "Replay this dataset as the event source instead of the synthetic world: movies.dat + "
                    + "ratings.dat (MovieLens), or items.jsonl|items.csv with interactions.csv|sequences.txt (generic, "
                    + "what 'simulate --out' writes). A restart resumes the replay.")
    Path replay;

    @Option(
            names = "--replay-speed",
            paramLabel = "FACTOR",
            defaultValue = "86400",
            description = "Event time per wall time of the replay (default ${DEFAULT-VALUE}: a day per second; 0: as "
                    + "fast as Kafka takes it).")
    double replaySpeed;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        SidstreamConfig configured = configOptions.load(PROFILE);
        PrintStream out = System.out;
        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch startEnded = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        AtomicReference<EmbeddedPlatform> running = new AtomicReference<>();
        // registered before the start, so a SIGTERM during start-up (a codebook training, the jobs' restore) stops
        // what has started instead of the JVM halting around it
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            long stopping = System.nanoTime();
                            stopped.countDown();
                            out.println("sidstream: stopping...");
                            try {
                                startEnded.await(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            EmbeddedPlatform platform = running.get();
                            if (platform != null) {
                                platform.close();
                            }
                            closed.countDown();
                            out.printf("sidstream: stopped cleanly in %.1f s%n", (System.nanoTime() - stopping) / 1e9);
                        },
                        "sidstream-shutdown"));
        EmbeddedPlatform platform;
        try {
            platform = EmbeddedPlatform.start(
                    configured,
                    Optional.ofNullable(replay).map(dir -> new EmbeddedPlatform.Replay(dir, replaySpeed)),
                    () -> stopped.getCount() == 0);
            running.set(platform);
        } catch (EmbeddedPlatform.StartAbandonedException e) {
            return 0;
        } finally {
            startEnded.countDown();
        }

        printWhereEverythingIs(out, platform, (System.nanoTime() - started) / 1e9);
        try (LiveSummary summary = new LiveSummary(platform)) {
            while (!stopped.await(summarySeconds, TimeUnit.SECONDS)) {
                out.println(summary.line());
            }
        } catch (RuntimeException e) {
            if (stopped.getCount() > 0) {
                throw e;
            }
        }
        closed.await(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
        return 0;
    }

    private static void printWhereEverythingIs(PrintStream out, EmbeddedPlatform platform, double seconds) {
        SidstreamConfig config = platform.config();
        out.println();
        out.println("sidstream is up (" + String.format("%.1f", seconds) + " s)");
        out.println("  Kafka bootstrap : " + config.kafka().bootstrapServers()
                + (platform.brokerEmbedded()
                        ? "  (embedded KRaft broker, data in " + platform.brokerDataDir() + ")"
                        : ""));
        out.println("  Schema registry : " + config.registry().url() + "  ("
                + platform.schemaIds().size() + " subjects)");
        out.println("  Metrics         : http://" + config.section("metrics").getString("host") + ":"
                + platform.metricsPort() + "/metrics");
        out.println("  Status page     : http://" + config.section("platform").getString("status-host") + ":"
                + platform.statusPort() + "/");
        platform.gatewayPort()
                .ifPresent(port -> out.println(
                        "  Ingest gateway  : http://" + config.section("ingest").getString("gateway.host") + ":" + port
                                + "/v1/{uploads,engagements,removals}"));
        platform.serving()
                .ifPresent(node -> out.println("  Serving node    : http://"
                        + config.section("serving").getString("host") + ":" + node.port() + "/v1/recommend"));
        platform.trainer()
                .ifPresent(trainer -> out.println("  Trainer         : cycles every "
                        + config.section("trainer").getString("cycle.interval") + " or after "
                        + config.section("trainer").getString("cycle.min-new-examples")
                        + " new examples; checkpoints in "
                        + config.section("trainer").getString("checkpoint.dir")));
        platform.jobStates()
                .forEach((job, state) -> out.println("  Flink job       : " + job + " (" + state
                        + "), checkpoints in "
                        + MiniClusterDefaults.apply(FlinkJobConfig.from(config))
                                .checkpointDir()
                                .orElseThrow()
                        + "/" + job));
        platform.bootstrapCodebooks()
                .forEach(version -> out.println("  Codebook        : trained and published " + version));
        out.println("  Topics          :");
        platform.topics().forEach(t -> out.println("    " + t));
        out.println("Press Ctrl-C to stop.");
        out.println();
    }
}
