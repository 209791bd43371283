package io.sidstream.ingest.replay;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** Settings of dataset replay ({@code ingest.replay}). */
public record ReplayConfig(
        Path stateDir,
        Duration defaultDuration,
        long maxMalformedLines,
        Instant sequenceStart,
        Duration sequenceStep,
        int checkpointEveryEvents) {

    public ReplayConfig {
        if (defaultDuration.toMillis() < 1) {
            throw new IllegalArgumentException(
                    "ingest.replay.default-duration must be positive, was " + defaultDuration);
        }
        if (maxMalformedLines < 0) {
            throw new IllegalArgumentException("ingest.replay.max-malformed-lines must not be negative");
        }
        if (sequenceStep.toMillis() < 1) {
            throw new IllegalArgumentException("ingest.replay.sequence-step must be at least 1ms, was " + sequenceStep);
        }
        if (checkpointEveryEvents < 1) {
            throw new IllegalArgumentException("ingest.replay.checkpoint-every-events must be positive");
        }
    }

    public static ReplayConfig from(Config ingest) {
        Config r = ingest.getConfig("replay");
        Instant start;
        try {
            start = Instant.parse(r.getString("sequence-start"));
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "ingest.replay.sequence-start is not an ISO-8601 instant: " + r.getString("sequence-start"));
        }
        return new ReplayConfig(
                Path.of(r.getString("state-dir")),
                r.getDuration("default-duration"),
                r.getLong("max-malformed-lines"),
                start,
                r.getDuration("sequence-step"),
                r.getInt("checkpoint-every-events"));
    }
}
