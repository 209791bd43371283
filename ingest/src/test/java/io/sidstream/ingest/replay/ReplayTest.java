package io.sidstream.ingest.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.testing.KafkaTestSupport;
import io.sidstream.ingest.publish.EventPublisher;
import io.sidstream.ingest.publish.PublishConfig;
import io.sidstream.ingest.testing.TopicReader;
import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.EventType;
import io.sidstream.schemas.VideoUploaded;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayTest {

    private static KafkaTestSupport kafka;
    private static SidstreamConfig config;
    private static ReplayConfig replayConfig;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        // one partition per topic, so the topic order is the publish order
        kafka = KafkaTestSupport.start();
        config = kafka.config(Map.of("topics.partitions.engagements", "1", "topics.partitions.video-uploads", "1"));
        try (var admin = kafka.admin()) {
            new io.sidstream.core.topic.TopicAdmin(admin)
                    .ensure(io.sidstream.core.topic.TopicAdmin.desired(config.topics()));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        replayConfig = ReplayConfig.from(config.section("ingest"));
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void movieLensFixtureBecomesUploadsAndEngagementsInEventTimeOrder() throws Exception {
        Path movies = dir.resolve("movies.dat");
        Path ratings = dir.resolve("ratings.dat");
        Files.write(
                movies,
                ("1::Toy Story (1995)::Animation|Children's|Comedy\n"
                                + "2::Jumanji (1995)::Adventure\n"
                                + "3::Amélie (2001)::Comedy|Romance\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
        Files.writeString(
                ratings,
                "10::2::3::978300800\n"
                        + "10::1::5::978300760\n"
                        + "11::2::4::978300900\n"
                        + "11::9::4::978300901\n"
                        + "broken line\n");
        MalformedLines malformed = new MalformedLines(10);
        Dataset dataset = new MovieLensReader(malformed).read(movies, ratings);

        ReplayResult result = replay(Timeline.of(dataset, Duration.ofHours(2)), "ml", malformed, false);

        assertThat(result.published()).isEqualTo(6);
        assertThat(result.malformedLines()).isEqualTo(2);
        assertThat(result.malformedExamples())
                .containsExactly(
                        "ratings.dat:4: movie 9 is not in the movies file",
                        "ratings.dat:5: expected UserID::MovieID::Rating::Timestamp, found 1 fields");
        List<VideoUploaded> uploads = TopicReader.readToEnd(
                config,
                "video-uploads",
                VideoUploaded.class,
                v -> v.getCreatorId().equals("movielens"));
        assertThat(uploads).extracting(VideoUploaded::getVideoId).containsExactly("1", "3", "2");
        assertThat(uploads.get(1).getTitle()).isEqualTo("Amélie (2001)");
        assertThat(uploads.get(0).getTags()).containsExactly("Animation", "Children's", "Comedy");
        assertThat(uploads.get(0).getUploadTime()).isEqualTo(Instant.ofEpochMilli(978300760_000L - 1));
        assertThat(uploads.get(2).getUploadTime()).isEqualTo(Instant.ofEpochMilli(978300800_000L - 1));
        assertThat(uploads.get(1).getUploadTime())
                .as("never rated: before everything")
                .isEqualTo(Instant.ofEpochMilli(978300760_000L - 1));

        List<Engagement> engagements = TopicReader.readToEnd(
                config, "engagements", Engagement.class, e -> e.getEventId().startsWith("ml:"));
        assertThat(engagements)
                .extracting(Engagement::getEventId)
                .containsExactly("ml:10:1:978300760", "ml:10:2:978300800", "ml:11:2:978300900");
        Engagement fiveStars = engagements.get(0);
        assertThat(fiveStars.getEventType()).isEqualTo(EventType.LIKE);
        assertThat(fiveStars.getWatchTimeMs())
                .isEqualTo(fiveStars.getVideoDurationMs())
                .isEqualTo(7_200_000);
        assertThat(engagements.get(1).getEventType()).isEqualTo(EventType.WATCH);
        assertThat(engagements.get(1).getWatchTimeMs()).isEqualTo(7_200_000 * 3 / 5);
        assertThat(engagements.get(1).getUserId()).isEqualTo("10");
    }

    @Test
    void genericCsvItemsAndInteractionsReplayInOrderAndResume() throws Exception {
        Path items = dir.resolve("items.csv");
        Path interactions = dir.resolve("interactions.csv");
        Files.writeString(
                items,
                "id,title,description,tags,upload_time,embedding\n"
                        + "g-a,\"Tea, brewed\",how to brew,tea|howto,2024-01-01T00:00:00Z,\n"
                        + "g-b,,,,,0.5 0.5 0.1\n"
                        + "g-c,Coffee,,coffee,,\n");
        Files.writeString(
                interactions,
                "user,item,timestamp,event_type,watch_fraction\n"
                        + "gu1,g-b,1704067300000,,0.5\n"
                        + "gu2,g-a,2024-01-01T00:01:00Z,LIKE,\n"
                        + "gu1,g-c,1704067200500,SKIP,0.01\n"
                        + "gu1,g-zz,1704067200600,,\n"
                        + "gu1,g-c,1704067200700,JUMP,\n");
        MalformedLines malformed = new MalformedLines(10);
        List<Timeline.Entry> timeline = Timeline.of(
                new GenericReader(malformed, replayConfig).readInteractions(items, interactions),
                Duration.ofMinutes(10));
        assertThat(malformed.examples())
                .containsExactly(
                        "interactions.csv:5: item g-zz is not in the items file",
                        "interactions.csv:6: event_type 'JUMP' is not one of [IMPRESSION, CLICK, WATCH, LIKE, SHARE, SKIP, UNKNOWN]");

        // a first run stops after two events; the resumed run publishes exactly the rest
        ReplayPosition position = new ReplayPosition(dir.resolve("state"), "generic", List.of(items, interactions));
        position.save(2, timeline.size());
        ReplayResult result;
        try (EventPublisher publisher = publisher()) {
            result = new Replayer(publisher, 1, false).run(timeline, position, true, new Pacer(0), malformed);
        }
        assertThat(result.resumedAt()).isEqualTo(2);
        assertThat(result.published()).isEqualTo(timeline.size() - 2);
        assertThat(position.load()).isEqualTo(timeline.size());

        assertThat(timeline)
                .extracting(e -> describe(e.event()))
                .containsExactly(
                        "upload g-a",
                        "upload g-c",
                        "engagement interactions.csv:4",
                        "engagement interactions.csv:3",
                        "upload g-b",
                        "engagement interactions.csv:2");
        List<Engagement> onTopic = TopicReader.readToEnd(
                config, "engagements", Engagement.class, e -> e.getEventId().startsWith("interactions.csv"));
        assertThat(onTopic)
                .extracting(Engagement::getEventId)
                .containsExactly("interactions.csv:4", "interactions.csv:3", "interactions.csv:2");
        assertThat(onTopic.get(0).getEventType()).isEqualTo(EventType.SKIP);
        assertThat(onTopic.get(0).getWatchTimeMs()).isEqualTo(6_000);
        assertThat(onTopic.get(1).getEventType()).isEqualTo(EventType.LIKE);
        assertThat(onTopic.get(1).getWatchTimeMs()).isZero();
        assertThat(onTopic.get(2).getWatchTimeMs()).isEqualTo(300_000);
        List<VideoUploaded> uploads = TopicReader.readToEnd(
                config,
                "video-uploads",
                VideoUploaded.class,
                v -> v.getVideoId().startsWith("g-"));
        assertThat(uploads).extracting(VideoUploaded::getVideoId).containsExactly("g-b");
        assertThat(uploads.get(0).getContentEmbedding()).containsExactly(0.5f, 0.5f, 0.1f);
        assertThat(uploads.get(0).getUploadTime()).isEqualTo(Instant.ofEpochMilli(1704067300000L - 1));
    }

    @Test
    void aStoppedReplayRecordsExactlyWhatKafkaTookSoTheResumedOneSendsEveryEventOnce() throws Exception {
        Path items = dir.resolve("stop-items.jsonl");
        Path sequences = dir.resolve("stop-seq.txt");
        Files.writeString(items, "{\"id\":\"st1\",\"title\":\"One\"}\n{\"id\":\"st2\",\"title\":\"Two\"}\n");
        Files.writeString(sequences, "stopper " + "st1 st2 ".repeat(100) + "\n");
        MalformedLines malformed = new MalformedLines(0);
        List<Timeline.Entry> timeline = Timeline.of(
                new GenericReader(malformed, replayConfig).readSequences(items, sequences), Duration.ofMinutes(10));
        List<String> engagements = timeline.stream()
                .map(Timeline.Entry::event)
                .filter(Engagement.class::isInstance)
                .map(e -> ((Engagement) e).getEventId())
                .toList();
        ReplayPosition position = new ReplayPosition(dir.resolve("state"), "generic", List.of(items, sequences));
        // an event every 20 ms, and no checkpoint before the end: only the stop itself can record a position
        Pacer everyTwentyMs = new Pacer(replayConfig.sequenceStep().toMillis() / 20.0);
        AtomicReference<Throwable> ended = new AtomicReference<>();

        try (EventPublisher publisher = publisher()) {
            Thread replay = new Thread(() -> {
                try {
                    new Replayer(publisher, 10_000, false).run(timeline, position, true, everyTwentyMs, malformed);
                } catch (Throwable t) {
                    ended.set(t);
                }
            });
            replay.start();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> stopTestEngagements().size() >= 20);
            replay.interrupt();
            replay.join(10_000);
            assertThat(replay.isAlive()).isFalse();
        }
        long recorded = position.load();
        assertThat(ended.get())
                .isInstanceOf(InterruptedException.class)
                .hasMessageContaining("replay stopped after " + recorded + " of " + timeline.size());
        assertThat(recorded).isBetween(20L, timeline.size() - 1L);
        // Kafka holds exactly the events up to the recorded position
        List<String> sent = timeline.subList(0, (int) recorded).stream()
                .map(Timeline.Entry::event)
                .filter(Engagement.class::isInstance)
                .map(e -> ((Engagement) e).getEventId())
                .toList();
        assertThat(stopTestEngagements()).containsExactlyElementsOf(sent);

        try (EventPublisher publisher = publisher()) {
            new Replayer(publisher, 10_000, false).run(timeline, position, true, new Pacer(0), malformed);
        }
        assertThat(stopTestEngagements()).containsExactlyElementsOf(engagements);
    }

    private static List<String> stopTestEngagements() {
        return TopicReader.readToEnd(
                        config,
                        "engagements",
                        Engagement.class,
                        e -> e.getEventId().startsWith("stop-seq.txt"))
                .stream()
                .map(Engagement::getEventId)
                .toList();
    }

    @Test
    void sequencesUseOrderForTimeAndJsonlItems() throws Exception {
        Path items = dir.resolve("items.jsonl");
        Path sequences = dir.resolve("seq.txt");
        Files.writeString(
                items,
                "{\"id\":\"s1\",\"title\":\"One\"}\n{\"id\":\"s2\",\"embedding\":[1,0]}\n"
                        + "{\"id\":\"s3\",\"description\":\"three\",\"tags\":[\"x\"]}\n");
        Files.writeString(sequences, "alice s1 s2 s3\nbob s3 s1\n");
        MalformedLines malformed = new MalformedLines(0);

        List<Timeline.Entry> timeline = Timeline.of(
                new GenericReader(malformed, replayConfig).readSequences(items, sequences), Duration.ofMinutes(10));

        long start = replayConfig.sequenceStart().toEpochMilli();
        long step = replayConfig.sequenceStep().toMillis();
        assertThat(timeline)
                .extracting(e -> describe(e.event()) + "@" + (e.time() - start) / step)
                .containsExactly(
                        "upload s1@0",
                        "upload s3@0",
                        "engagement seq.txt:1:1@0",
                        "engagement seq.txt:2:1@0",
                        "upload s2@0",
                        "engagement seq.txt:1:2@1",
                        "engagement seq.txt:2:2@1",
                        "engagement seq.txt:1:3@2");
    }

    @Test
    void gzipCompressedFilesAreReadLikePlainOnesAndFoundByTheirBaseName() throws Exception {
        Path data = Files.createDirectories(dir.resolve("gz"));
        gzip(data.resolve("items.jsonl.gz"), "{\"id\":\"z1\",\"title\":\"One\"}\n{\"id\":\"z2\",\"title\":\"Two\"}\n");
        gzip(data.resolve("sequences.txt.gz"), "alice z1 z2\nbob z2 nope\n");
        MalformedLines malformed = new MalformedLines(10);

        DatasetFiles files = DatasetFiles.of(data);
        Dataset dataset = files.read(replayConfig, malformed);

        assertThat(files.sequences()).isTrue();
        assertThat(dataset.items()).containsOnlyKeys("z1", "z2");
        assertThat(dataset.interactions()).extracting(Interaction::itemId).containsExactly("z1", "z2");
        assertThat(malformed.examples())
                .containsExactly("sequences.txt.gz:2: item nope (position 2) is not in the items file");
    }

    @Test
    void aLineThatIsNotUtf8IsReportedWithItsFileAndLine() throws Exception {
        Path items = dir.resolve("latin1.jsonl");
        byte[] good = "{\"id\":\"l1\",\"title\":\"ok\"}\n".getBytes(StandardCharsets.UTF_8);
        byte[] bad = "{\"id\":\"l2\",\"title\":\"caf\u00e9\"}\n".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(
                items,
                java.nio.ByteBuffer.allocate(good.length + bad.length)
                        .put(good)
                        .put(bad)
                        .array());
        Path sequences = dir.resolve("l.txt");
        Files.writeString(sequences, "u l1\n");
        MalformedLines malformed = new MalformedLines(10);

        Dataset dataset = new GenericReader(malformed, replayConfig).readSequences(items, sequences);

        assertThat(dataset.items()).containsOnlyKeys("l1");
        assertThat(malformed.examples()).containsExactly("latin1.jsonl:2: not valid UTF-8 text");
    }

    private static void gzip(Path file, String text) throws java.io.IOException {
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void itemsWithoutTextOrEmbeddingAreAnError() throws Exception {
        Path items = dir.resolve("bare.csv");
        Files.writeString(items, "id,title,description,tags,upload_time,embedding\nok,Title,,,,\nbare,,,,,\n");
        Path sequences = dir.resolve("s.txt");
        Files.writeString(sequences, "u ok bare\n");

        assertThatThrownBy(
                        () -> new GenericReader(new MalformedLines(10), replayConfig).readSequences(items, sequences))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("neither text (title or description) nor an embedding")
                .hasMessageContaining("bare.csv:3 (item bare)");
    }

    @Test
    void tooManyMalformedLinesStopTheRun() throws Exception {
        Path movies = dir.resolve("movies.dat");
        Files.writeString(movies, "x::y\nz\n");
        Path ratings = dir.resolve("ratings.dat");
        Files.writeString(ratings, "");

        assertThatThrownBy(() -> new MovieLensReader(new MalformedLines(1)).read(movies, ratings))
                .hasMessageContaining("more than 1 malformed lines (last: movies.dat:2:");
    }

    private ReplayResult replay(List<Timeline.Entry> timeline, String name, MalformedLines malformed, boolean resume)
            throws InterruptedException {
        try (EventPublisher publisher = publisher()) {
            return new Replayer(publisher, 2, false)
                    .run(
                            timeline,
                            new ReplayPosition(dir.resolve("state"), name, List.of(dir)),
                            resume,
                            new Pacer(0),
                            malformed);
        }
    }

    private static EventPublisher publisher() {
        return new EventPublisher(
                config.kafka(), config.registry(), PublishConfig.from(config.section("ingest")), "replay-test");
    }

    private static String describe(Object event) {
        return event instanceof VideoUploaded v
                ? "upload " + v.getVideoId()
                : "engagement " + ((Engagement) event).getEventId();
    }
}
