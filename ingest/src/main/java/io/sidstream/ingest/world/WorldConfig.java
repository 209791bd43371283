package io.sidstream.ingest.world;

import com.typesafe.config.Config;
import java.time.Instant;

/**
 * The shape and rates of a synthetic world ({@code ingest.simulate} plus {@code ingest.embedding-dimension}).
 * Rates are in event time; the same seed and settings always give the same stream.
 */
public record WorldConfig(
        long seed,
        int topics,
        int subtopicsPerTopic,
        int creators,
        int users,
        int initialVideos,
        double uploadsPerSecond,
        double engagementsPerSecond,
        int embeddingDimension,
        double noEmbeddingShare,
        double lateShare,
        double duplicateShare,
        double explorationShare,
        double driftPerEngagement,
        Instant startTime) {

    public WorldConfig {
        positive("topics", topics);
        positive("subtopics-per-topic", subtopicsPerTopic);
        positive("creators", creators);
        positive("users", users);
        positive("embedding-dimension", embeddingDimension);
        if (initialVideos < 0) {
            throw new IllegalArgumentException(
                    "ingest.simulate.initial-videos must not be negative, was " + initialVideos);
        }
        if (!(uploadsPerSecond > 0) || !(engagementsPerSecond > 0)) {
            throw new IllegalArgumentException(
                    "ingest.simulate.uploads-per-s and engagements-per-s must be positive, were " + uploadsPerSecond
                            + " and " + engagementsPerSecond);
        }
        share("no-embedding-share", noEmbeddingShare);
        share("late-share", lateShare);
        share("duplicate-share", duplicateShare);
        share("exploration-share", explorationShare);
        share("drift-per-engagement", driftPerEngagement);
    }

    public static WorldConfig from(Config ingest) {
        Config s = ingest.getConfig("simulate");
        return new WorldConfig(
                s.getLong("seed"),
                s.getInt("topics"),
                s.getInt("subtopics-per-topic"),
                s.getInt("creators"),
                s.getInt("users"),
                s.getInt("initial-videos"),
                s.getDouble("uploads-per-s"),
                s.getDouble("engagements-per-s"),
                ingest.getInt("embedding-dimension"),
                s.getDouble("no-embedding-share"),
                s.getDouble("late-share"),
                s.getDouble("duplicate-share"),
                s.getDouble("exploration-share"),
                s.getDouble("drift-per-engagement"),
                Instant.parse(s.getString("start-time")));
    }

    /** The module's defaults, for code and tests that build a world without loading configuration. */
    public static WorldConfig defaults() {
        return new WorldConfig(
                42,
                32,
                8,
                2000,
                20000,
                2000,
                5,
                500,
                384,
                0.1,
                0.02,
                0.01,
                0.1,
                0.002,
                Instant.parse("2026-01-01T00:00:00Z"));
    }

    public WorldConfig withSeed(long value) {
        return new WorldConfig(
                value,
                topics,
                subtopicsPerTopic,
                creators,
                users,
                initialVideos,
                uploadsPerSecond,
                engagementsPerSecond,
                embeddingDimension,
                noEmbeddingShare,
                lateShare,
                duplicateShare,
                explorationShare,
                driftPerEngagement,
                startTime);
    }

    public WorldConfig withSize(int topicCount, int creatorCount, int userCount, int initialVideoCount) {
        return new WorldConfig(
                seed,
                topicCount,
                subtopicsPerTopic,
                creatorCount,
                userCount,
                initialVideoCount,
                uploadsPerSecond,
                engagementsPerSecond,
                embeddingDimension,
                noEmbeddingShare,
                lateShare,
                duplicateShare,
                explorationShare,
                driftPerEngagement,
                startTime);
    }

    public WorldConfig withRates(double uploads, double engagements) {
        return new WorldConfig(
                seed,
                topics,
                subtopicsPerTopic,
                creators,
                users,
                initialVideos,
                uploads,
                engagements,
                embeddingDimension,
                noEmbeddingShare,
                lateShare,
                duplicateShare,
                explorationShare,
                driftPerEngagement,
                startTime);
    }

    public WorldConfig withEmbeddings(int dimension, double noEmbedding) {
        return new WorldConfig(
                seed,
                topics,
                subtopicsPerTopic,
                creators,
                users,
                initialVideos,
                uploadsPerSecond,
                engagementsPerSecond,
                dimension,
                noEmbedding,
                lateShare,
                duplicateShare,
                explorationShare,
                driftPerEngagement,
                startTime);
    }

    public WorldConfig withNoise(double late, double duplicate, double exploration, double drift) {
        return new WorldConfig(
                seed,
                topics,
                subtopicsPerTopic,
                creators,
                users,
                initialVideos,
                uploadsPerSecond,
                engagementsPerSecond,
                embeddingDimension,
                noEmbeddingShare,
                late,
                duplicate,
                exploration,
                drift,
                startTime);
    }

    public WorldConfig withStartTime(Instant value) {
        return new WorldConfig(
                seed,
                topics,
                subtopicsPerTopic,
                creators,
                users,
                initialVideos,
                uploadsPerSecond,
                engagementsPerSecond,
                embeddingDimension,
                noEmbeddingShare,
                lateShare,
                duplicateShare,
                explorationShare,
                driftPerEngagement,
                value);
    }

    private static void positive(String key, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("ingest.simulate." + key + " must be positive, was " + value);
        }
    }

    private static void share(String key, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException("ingest.simulate." + key + " must be between 0 and 1, was " + value);
        }
    }
}
