package io.sidstream.ingest.cli;

import io.sidstream.core.cli.ConfigOptions;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.ingest.publish.EventPublisher;
import io.sidstream.ingest.publish.PublishConfig;
import io.sidstream.ingest.world.GenericFormatWriter;
import io.sidstream.ingest.world.SyntheticWorld;
import io.sidstream.ingest.world.WorldConfig;
import io.sidstream.ingest.world.WorldEvent;
import io.sidstream.ingest.world.WorldPublisher;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sidstream simulate}: the synthetic video world, onto Kafka or into replay files. */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        description = "Run the seeded synthetic video world: creators upload, users watch, skip and like. Publishes "
                + "to Kafka paced at the configured rates, or writes the generic replay format with --out.")
public final class SimulateCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Option(
            names = "--uploads-per-s",
            description = "Uploads per second (world time). Default: ingest.simulate.uploads-per-s.")
    Double uploadsPerSecond;

    @Option(
            names = "--engagements-per-s",
            description = "Engagements per second (world time). Default: ingest.simulate.engagements-per-s.")
    Double engagementsPerSecond;

    @Option(names = "--seed", description = "Seed of the world. Default: ingest.simulate.seed.")
    Long seed;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Write items.jsonl and interactions.csv here instead of Kafka.")
    Path out;

    @Option(
            names = "--duration",
            converter = Durations.class,
            paramLabel = "DURATION",
            description =
                    "How long to run: wall time on Kafka (default: until stopped), world time with --out (default 1h).")
    Duration duration;

    @Option(names = "--fastest", description = "On Kafka: do not pace, send as fast as the producer takes events.")
    boolean fastest;

    @Override
    public Integer call() throws Exception {
        SidstreamConfig config = configOptions.load();
        WorldConfig world = WorldConfig.from(config.section("ingest"));
        if (seed != null) {
            world = world.withSeed(seed);
        }
        if (uploadsPerSecond != null || engagementsPerSecond != null) {
            world = world.withRates(
                    uploadsPerSecond != null ? uploadsPerSecond : world.uploadsPerSecond(),
                    engagementsPerSecond != null ? engagementsPerSecond : world.engagementsPerSecond());
        }
        if (out != null) {
            return writeFiles(new SyntheticWorld(world), duration == null ? Duration.ofHours(1) : duration);
        }
        config.requireCluster("simulate");
        SyntheticWorld simulation = new SyntheticWorld(onKafka(world, !fastest, Clock.systemUTC()));
        try (EventPublisher publisher = new EventPublisher(
                config.kafka(), config.registry(), PublishConfig.from(config.section("ingest")), "simulate")) {
            long sent = new WorldPublisher(publisher).run(simulation, duration, !fastest);
            System.out.printf("simulated %d events%n", sent);
        }
        return 0;
    }

    /**
     * The world as it goes to Kafka: paced, world time is wall time from now (as {@code up}'s world), so its events
     * are live traffic beside the gateway's and on time for the jobs' watermarks; with {@code start-time} (2026-01-01
     * by default) they would all be months old, and the windows job dead-letters engagements that far behind any
     * other traffic as late. Unpaced ({@code --fastest}) it keeps the configured start.
     */
    static WorldConfig onKafka(WorldConfig world, boolean paced, Clock clock) {
        return paced ? world.withStartTime(clock.instant()) : world;
    }

    private int writeFiles(SyntheticWorld world, Duration span) {
        long end = world.config().startTime().plus(span).toEpochMilli();
        long uploads = 0;
        long engagements = 0;
        try (GenericFormatWriter writer = new GenericFormatWriter(out)) {
            while (true) {
                WorldEvent event = world.next();
                if (event.emittedAt().toEpochMilli() >= end) {
                    break;
                }
                writer.write(event);
                if (event.isUpload()) {
                    uploads++;
                } else {
                    engagements++;
                }
            }
        }
        System.out.printf(
                "wrote %d uploads to %s and %d engagements to %s%n",
                uploads,
                out.resolve(GenericFormatWriter.ITEMS),
                engagements,
                out.resolve(GenericFormatWriter.INTERACTIONS));
        System.out.printf(
                "replay them with: sidstream replay --format generic --items %s --interactions %s%n",
                out.resolve(GenericFormatWriter.ITEMS), out.resolve(GenericFormatWriter.INTERACTIONS));
        return 0;
    }
}
