package io.sidstream.platform.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sidstream.core.config.ConfigLoader;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.topic.Topic;
import io.sidstream.platform.embedded.EmbeddedPlatform;
import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.SidAssigned;
import io.sidstream.schemas.TrainingExample;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sidstream up --replay DIR} on a small MovieLens dataset: the movies carry no embedding, so the platform embeds
 * their titles with the text encoder, trains and publishes that space's codebook, and the replayed ratings become
 * SIDs and training examples. A restart resumes the finished replay without sending anything again.
 */
class ReplayLoopTest {

    private static final int MOVIES = 60;
    private static final int RATINGS = 1500;

    @Test
    void aMovieLensReplayFeedsTheLoopAndIsNotSentTwice(@TempDir Path dir) throws Exception {
        Path dataset = movieLens(dir.resolve("ml"));
        SidstreamConfig configured = config(dir);
        EmbeddedPlatform.Replay replay = new EmbeddedPlatform.Replay(dataset, 0);
        int engagements;
        try (EmbeddedPlatform platform = EmbeddedPlatform.start(configured, Optional.of(replay))) {
            assertThat(platform.bootstrapCodebooks()).singleElement().asString().startsWith("all-minilm-l6-v2-q-");
            SidstreamConfig config = platform.config();
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> LoopTestSupport.read(config, Topic.SID_ASSIGNMENTS, SidAssigned.class).size() == MOVIES
                            && LoopTestSupport.read(config, Topic.ENGAGEMENTS, Engagement.class).size() == RATINGS
                            && LoopTestSupport.read(config, Topic.TRAINING_EXAMPLES, TrainingExample.class).size() > 100);
            engagements = RATINGS;
        }
        try (EmbeddedPlatform platform = EmbeddedPlatform.start(configured, Optional.of(replay))) {
            assertThat(platform.bootstrapCodebooks()).isEmpty();
            Thread.sleep(3000);
            assertThat(LoopTestSupport.read(platform.config(), Topic.ENGAGEMENTS, Engagement.class)).hasSize(engagements);
        }
    }

    private static SidstreamConfig config(Path dir) {
        Map<String, String> settings = LoopTestSupport.embeddedSettings(dir);
        settings.put("platform.run.trainer", "false");
        settings.put("platform.run.serving", "false");
        // a codebook small enough for a catalogue of 60 movies
        settings.put("sid.codes-per-level", "8");
        return ConfigLoader.withOverrides(settings);
    }

    /** Movies with varied titles and genres; seeded ratings over a few months. */
    private static Path movieLens(Path dir) throws Exception {
        Files.createDirectories(dir);
        String[] genres = {"Comedy", "Drama", "Action|Adventure", "Animation|Children's", "Horror|Thriller", "Romance"};
        String[] words = {"Night", "River", "Summer", "Ghost", "City", "Love", "War", "Dream", "Star", "Island"};
        StringBuilder movies = new StringBuilder();
        for (int m = 1; m <= MOVIES; m++) {
            movies.append(m).append("::").append(words[m % words.length]).append(' ').append(words[(m * 7) % words.length])
                    .append(" ").append(m).append(" (").append(1980 + m % 20).append(")::").append(genres[m % genres.length])
                    .append('\n');
        }
        Files.writeString(dir.resolve("movies.dat"), movies.toString(), StandardCharsets.ISO_8859_1);
        SplittableRandom random = new SplittableRandom(3);
        StringBuilder ratings = new StringBuilder();
        long time = 978_300_000L;
        java.util.Set<String> rated = new java.util.HashSet<>();
        while (rated.size() < RATINGS) {
            int user = 1 + random.nextInt(40);
            int movie = 1 + random.nextInt(MOVIES);
            if (!rated.add(user + ":" + movie)) {
                continue;
            }
            time += 1 + random.nextInt(600);
            ratings.append(user).append("::").append(movie).append("::").append(1 + random.nextInt(5)).append("::")
                    .append(time).append('\n');
        }
        Files.writeString(dir.resolve("ratings.dat"), ratings.toString(), StandardCharsets.ISO_8859_1);
        return dir;
    }
}
