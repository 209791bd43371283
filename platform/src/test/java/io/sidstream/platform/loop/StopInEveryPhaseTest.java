package io.sidstream.platform.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sidstream.core.config.ConfigLoader;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.topic.Topic;
import io.sidstream.core.topic.TopicScan;
import io.sidstream.core.topic.TopicSchemas;
import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.VideoUploaded;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM in the phases {@link UpProcessFaultTest} leaves out (it stops {@code up} while a training cycle runs), each
 * to a {@code sidstream} process of its own: {@code up} while it trains a codebook at start-up, {@code up} while it
 * replays a dataset, and {@code codebook train} on its own. Every one exits within {@link SidstreamProcess#STOP_BOUND}
 * and leaves nothing half-done: no codebook stored or published from an abandoned training, and a replay position
 * from which the next start sends every event of the dataset exactly once.
 */
class StopInEveryPhaseTest {

    private static final int MOVIES = 60;
    private static final int RATINGS = 1500;

    @Test
    void sigtermEndsEveryPhaseWithinSecondsAndLeavesNothingHalfDone(@TempDir Path dir) throws Exception {
        Path dataset = LoopTestSupport.movieLens(dir.resolve("ml"), MOVIES, RATINGS);
        Map<String, String> settings = LoopTestSupport.embeddedSettings(dir);
        String bootstrap = "127.0.0.1:" + LoopTestSupport.freePort();
        settings.put("embedded.kafka-port", bootstrap.substring(bootstrap.indexOf(':') + 1));
        // the phases under test need only the broker, the codebook bootstrap and the replay
        for (String part : List.of("jobs", "trainer", "serving", "gateway")) {
            settings.put("platform.run." + part, "false");
        }
        // a codebook small enough for a catalogue of 60 movies
        settings.put("sid.codes-per-level", "8");
        // the child's mock registry numbers schemas in catalog order; a scope of ours registered the same way reads
        // them
        SidstreamConfig reader = ConfigLoader.withOverrides(
                Map.of("kafka.bootstrap.servers", bootstrap, "registry.url", "mock://stop-in-every-phase-test"));
        TopicSchemas.registerAll(reader.registry());
        Path codebooks = dir.resolve("codebooks");
        Map<String, Duration> stops = new LinkedHashMap<>();

        // up, training the dataset's codebook at start-up: a training that would not end on its own for an hour
        settings.put("sid.kmeans-iterations", "100000000");
        try (SidstreamProcess up = SidstreamProcess.up(dir, "up-codebook", settings, "--replay", dataset.toString())) {
            up.awaitLog("embedded the text of " + MOVIES + " videos", Duration.ofMinutes(2));
            stops.put("up training a codebook", up.sigterm());
            assertThat(up.log()).contains("codebook training stopped").contains("sidstream: stopped cleanly");
        }
        assertThat(files(codebooks)).as("files of the abandoned codebook").isEmpty();

        // up, replaying (about 90 s for the whole dataset at this speed)
        settings.put("sid.kmeans-iterations", "20");
        try (SidstreamProcess up = SidstreamProcess.up(
                dir, "up-replay", settings, "--replay", dataset.toString(), "--replay-speed", "5000")) {
            up.awaitUp();
            // nothing of the abandoned training reached the codebooks topic, or this start would not train one
            assertThat(up.log()).contains("trained and published codebook all-minilm-l6-v2-q-");
            await().atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> records(reader, Topic.ENGAGEMENTS) >= 50);
            stops.put("up replaying", up.sigterm());
            assertThat(up.log()).contains("replay stopped after").contains("sidstream: stopped cleanly");
        }
        long position = replayPosition(dir.resolve("replay"));
        assertThat(position).as("events Kafka took before the stop").isBetween(50L, MOVIES + RATINGS - 1L);
        assertThat(files(dir.resolve("replay"))).noneMatch(file -> file.endsWith(".tmp"));

        // the next start continues there: every movie and every rating on its topic exactly once
        try (SidstreamProcess up = SidstreamProcess.up(
                dir, "up-resume", settings, "--replay", dataset.toString(), "--replay-speed", "0")) {
            up.awaitLog(" done: ", Duration.ofMinutes(2));
            assertThat(up.log()).contains("after resuming at " + position);
            List<String> ratings = TopicScan.values(reader, Topic.ENGAGEMENTS.topicName(), Engagement.class).stream()
                    .map(Engagement::getEventId)
                    .toList();
            assertThat(ratings).hasSize(RATINGS).doesNotHaveDuplicates();
            List<String> movies =
                    TopicScan.values(reader, Topic.VIDEO_UPLOADS.topicName(), VideoUploaded.class).stream()
                            .map(VideoUploaded::getVideoId)
                            .toList();
            assertThat(movies).hasSize(MOVIES).doesNotHaveDuplicates();
            stops.put("up after its replay", up.sigterm());
        }

        // codebook train on its own, mid-training
        Path standalone = dir.resolve("standalone-codebooks");
        try (SidstreamProcess train = SidstreamProcess.start(
                dir,
                "codebook-train",
                List.of(
                        "codebook",
                        "train",
                        "--synthetic",
                        "2000",
                        "--set",
                        "sid.kmeans-iterations=100000000",
                        "--set",
                        "sid.codebook-dir=" + standalone))) {
            train.awaitLog("training ", Duration.ofMinutes(1));
            stops.put("codebook train", train.sigterm());
            assertThat(train.log()).contains("stopped: codebook training stopped before it finished");
        }
        assertThat(files(standalone)).as("files of the abandoned codebook").isEmpty();

        stops.forEach(
                (phase, took) -> System.out.printf("SIGTERM to exit, %s: %.1f s%n", phase, took.toMillis() / 1000.0));
        assertThat(stops)
                .allSatisfy((phase, took) -> assertThat(took).as(phase).isLessThan(SidstreamProcess.STOP_BOUND));
    }

    /** Records on a topic, whatever they hold. */
    private static int records(SidstreamConfig config, Topic topic) {
        AtomicInteger count = new AtomicInteger();
        TopicScan.all(config, topic.topicName(), record -> count.incrementAndGet());
        return count.get();
    }

    /** The events a replay recorded as published (its one position file). */
    private static long replayPosition(Path stateDir) throws IOException {
        List<String> positions =
                files(stateDir).stream().filter(f -> f.endsWith(".properties")).toList();
        assertThat(positions).hasSize(1);
        Properties position = new Properties();
        try (Reader in = Files.newBufferedReader(stateDir.resolve(positions.get(0)))) {
            position.load(in);
        }
        return Long.parseLong(position.getProperty("published"));
    }

    /** The names of the files under {@code dir}, none when it does not exist. */
    private static List<String> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
                    .toList();
        }
    }
}
