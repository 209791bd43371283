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
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
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
        Path dataset = LoopTestSupport.movieLens(dir.resolve("ml"), MOVIES, RATINGS);
        SidstreamConfig configured = config(dir);
        EmbeddedPlatform.Replay replay = new EmbeddedPlatform.Replay(dataset, 0);
        int engagements;
        try (EmbeddedPlatform platform = EmbeddedPlatform.start(configured, Optional.of(replay))) {
            assertThat(platform.bootstrapCodebooks()).singleElement().asString().startsWith("all-minilm-l6-v2-q-");
            SidstreamConfig config = platform.config();
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> LoopTestSupport.read(config, Topic.SID_ASSIGNMENTS, SidAssigned.class)
                                            .size()
                                    == MOVIES
                            && LoopTestSupport.read(config, Topic.ENGAGEMENTS, Engagement.class)
                                            .size()
                                    == RATINGS
                            && LoopTestSupport.read(config, Topic.TRAINING_EXAMPLES, TrainingExample.class)
                                            .size()
                                    > 100);
            engagements = RATINGS;
        }
        try (EmbeddedPlatform platform = EmbeddedPlatform.start(configured, Optional.of(replay))) {
            assertThat(platform.bootstrapCodebooks()).isEmpty();
            // the finished replay sends nothing again: the topic holds the ratings once, for as long as we look
            SidstreamConfig config = platform.config();
            await().during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> LoopTestSupport.read(config, Topic.ENGAGEMENTS, Engagement.class)
                                    .size()
                            == engagements);
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
}
