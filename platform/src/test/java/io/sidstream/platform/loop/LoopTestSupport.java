package io.sidstream.platform.loop;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.topic.Topic;
import io.sidstream.core.topic.TopicScan;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.avro.specific.SpecificRecord;

/** What the loop tests share: an embedded platform's settings in a temporary directory, and reading its topics. */
final class LoopTestSupport {

    private LoopTestSupport() {}

    /** Every port free, every file under {@code dir}. */
    static Map<String, String> embeddedSettings(Path dir) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("embedded.data-dir", dir.resolve("data").toString());
        settings.put("embedded.kafka-port", "0");
        settings.put("embedded.controller-port", "0");
        settings.put("metrics.port", "0");
        settings.put("platform.status-port", "0");
        settings.put("platform.world-position", dir.resolve("world.position").toString());
        settings.put("serving.port", "0");
        settings.put("ingest.gateway.port", "0");
        settings.put("ingest.replay.state-dir", dir.resolve("replay").toString());
        settings.put("flink.checkpoint-dir", dir.resolve("flink").toString());
        settings.put("sid.codebook-dir", dir.resolve("codebooks").toString());
        settings.put("trainer.checkpoint.dir", dir.resolve("checkpoints").toString());
        return settings;
    }

    /** A port no one listens on now, for a child process whose ports the test must know. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Every committed record of a topic (tombstones aside), to its current end. */
    static <V extends SpecificRecord> List<V> read(SidstreamConfig config, Topic topic, Class<V> type) {
        return TopicScan.values(config, topic.topicName(), type);
    }

    /** A MovieLens dataset: movies with varied titles and genres, seeded ratings over a few months. */
    static Path movieLens(Path dir, int movieCount, int ratingCount) throws IOException {
        Files.createDirectories(dir);
        String[] genres = {"Comedy", "Drama", "Action|Adventure", "Animation|Children's", "Horror|Thriller", "Romance"};
        String[] words = {"Night", "River", "Summer", "Ghost", "City", "Love", "War", "Dream", "Star", "Island"};
        StringBuilder movies = new StringBuilder();
        for (int m = 1; m <= movieCount; m++) {
            movies.append(m)
                    .append("::")
                    .append(words[m % words.length])
                    .append(' ')
                    .append(words[(m * 7) % words.length])
                    .append(" ")
                    .append(m)
                    .append(" (")
                    .append(1980 + m % 20)
                    .append(")::")
                    .append(genres[m % genres.length])
                    .append('\n');
        }
        Files.writeString(dir.resolve("movies.dat"), movies.toString(), StandardCharsets.ISO_8859_1);
        SplittableRandom random = new SplittableRandom(3);
        StringBuilder ratings = new StringBuilder();
        long time = 978_300_000L;
        java.util.Set<String> rated = new java.util.HashSet<>();
        while (rated.size() < ratingCount) {
            int user = 1 + random.nextInt(40);
            int movie = 1 + random.nextInt(movieCount);
            if (!rated.add(user + ":" + movie)) {
                continue;
            }
            time += 1 + random.nextInt(600);
            ratings.append(user)
                    .append("::")
                    .append(movie)
                    .append("::")
                    .append(1 + random.nextInt(5))
                    .append("::")
                    .append(time)
                    .append('\n');
        }
        Files.writeString(dir.resolve("ratings.dat"), ratings.toString(), StandardCharsets.ISO_8859_1);
        return dir;
    }
}
