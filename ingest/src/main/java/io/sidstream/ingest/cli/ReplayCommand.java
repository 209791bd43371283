package io.sidstream.ingest.cli;

import io.sidstream.core.cli.ConfigOptions;
import io.sidstream.core.cli.StopSignal;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.ingest.publish.EventPublisher;
import io.sidstream.ingest.publish.PublishConfig;
import io.sidstream.ingest.replay.DatasetFiles;
import io.sidstream.ingest.replay.MalformedLines;
import io.sidstream.ingest.replay.Pacer;
import io.sidstream.ingest.replay.ReplayConfig;
import io.sidstream.ingest.replay.ReplayPosition;
import io.sidstream.ingest.replay.ReplayResult;
import io.sidstream.ingest.replay.Replayer;
import io.sidstream.ingest.replay.Timeline;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sidstream replay}: publishes a dataset as uploads and engagements in event-time order. */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = "Replay a dataset (MovieLens .dat or the generic format) onto Kafka as uploads and engagements, "
                + "in event-time order, at a speed factor or as fast as possible; --resume continues a stopped run.")
public final class ReplayCommand implements Callable<Integer> {

    /** Longest a stop waits for the replay to record its position; past it the last checkpoint stands. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    /** The dataset layouts replay reads. */
    public enum Format {
        movielens,
        generic
    }

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--format", required = true, description = "movielens or generic.")
    Format format;

    @Option(
            names = "--items",
            required = true,
            paramLabel = "FILE",
            description = "movies.dat (movielens), or items as .csv / .jsonl (generic).")
    Path items;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Interactions interactions;

    static final class Interactions {
        @Option(
                names = "--interactions",
                paramLabel = "FILE",
                description = "ratings.dat (movielens) or interactions .csv (generic).")
        Path file;

        @Option(
                names = "--sequences",
                paramLabel = "FILE",
                description = "generic: one line per user, 'user item item ...' in time order.")
        Path sequences;
    }

    @ArgGroup(exclusive = true)
    Pace pace = new Pace();

    static final class Pace {
        @Option(
                names = "--speed",
                paramLabel = "FACTOR",
                description = "Event time per wall time (86400: a day per second). Default: ${DEFAULT-VALUE}.")
        double speed = 86400;

        @Option(names = "--fastest", description = "As fast as Kafka takes it.")
        boolean fastest;
    }

    @Option(names = "--resume", description = "Continue from where the last run on the same inputs stopped.")
    boolean resume;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        SidstreamConfig config = configOptions.load();
        config.requireCluster("replay");
        ReplayConfig replay = ReplayConfig.from(config.section("ingest"));
        MalformedLines malformed = new MalformedLines(replay.maxMalformedLines());
        DatasetFiles files = files();
        List<Timeline.Entry> timeline = Timeline.of(files.read(replay, malformed), replay.defaultDuration());
        ReplayPosition position = files.position(replay);
        // SIGTERM (or Ctrl-C) interrupts the replay, which records exactly how far Kafka got before the JVM halts
        try (StopSignal stop = StopSignal.install(STOP_GRACE, true);
                EventPublisher publisher = new EventPublisher(
                        config.kafka(), config.registry(), PublishConfig.from(config.section("ingest")), "replay")) {
            ReplayResult result = new Replayer(publisher, replay.checkpointEveryEvents(), !noProgress)
                    .run(timeline, position, resume, new Pacer(pace.fastest ? 0 : pace.speed), malformed);
            System.out.printf(
                    "replayed %d events (%d uploads, %d engagements)%s; %d malformed lines%n",
                    result.published(),
                    result.uploads(),
                    result.engagements(),
                    result.resumedAt() > 0 ? ", resumed after " + result.resumedAt() : "",
                    result.malformedLines());
            result.malformedExamples().forEach(line -> System.out.println("  malformed: " + line));
            return 0;
        }
    }

    private DatasetFiles files() {
        if (format == Format.movielens && interactions.file == null) {
            throw new IllegalArgumentException("--format movielens takes --interactions ratings.dat");
        }
        return interactions.file != null
                ? new DatasetFiles(format.name(), items, interactions.file, false)
                : new DatasetFiles(format.name(), items, interactions.sequences, true);
    }
}
