package io.sidstream.ingest.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.testing.KafkaTestSupport;
import io.sidstream.core.topic.TopicAdmin;
import io.sidstream.ingest.publish.EventPublisher;
import io.sidstream.ingest.publish.PublishConfig;
import io.sidstream.ingest.testing.TopicReader;
import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.VideoUploaded;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live world stopped and started again continues where it was: the topics then hold exactly the events one
 * uninterrupted world emits up to the same time, in the same order, none twice and none missing.
 */
class LiveWorldFeedTest {

    private static final Instant FIRST_RUN = Instant.parse("2026-11-23T00:00:00Z");
    private static final WorldConfig WORLD =
            WorldConfig.defaults().withSize(4, 10, 50, 20).withRates(5, 200);

    private static KafkaTestSupport kafka;
    private static SidstreamConfig config;

    @BeforeAll
    static void start() throws InterruptedException {
        // one partition per topic, so each topic's order is the send order
        kafka = KafkaTestSupport.start();
        config = kafka.config(Map.of("topics.partitions.engagements", "1", "topics.partitions.video-uploads", "1"));
        try (var admin = kafka.admin()) {
            new TopicAdmin(admin).ensure(TopicAdmin.desired(config.topics()));
        }
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void aRestartedWorldContinuesWithoutLossOrDuplicates(@TempDir Path dir) throws Exception {
        Path position = dir.resolve("world.position");
        ManualClock clock = new ManualClock(FIRST_RUN);
        runUntil(position, clock, FIRST_RUN.plusSeconds(2));
        // the platform was down for a minute; the world's events of that minute go out when it is back
        runUntil(position, clock, FIRST_RUN.plusSeconds(63));

        List<WorldEvent> expected = continuousWorldUntil(FIRST_RUN.plusSeconds(63));
        List<Object> expectedUploads = new ArrayList<>();
        List<Object> expectedEngagements = new ArrayList<>();
        expected.forEach(e -> (e.isUpload() ? expectedUploads : expectedEngagements).add(e.record()));
        assertThat(expectedEngagements).hasSizeGreaterThan(10_000);

        assertThat(TopicReader.readToEnd(config, "video-uploads", VideoUploaded.class))
                .containsExactlyElementsOf(
                        expectedUploads.stream().map(VideoUploaded.class::cast).toList());
        assertThat(TopicReader.readToEnd(config, "engagements", Engagement.class))
                .containsExactlyElementsOf(
                        expectedEngagements.stream().map(Engagement.class::cast).toList());
    }

    @Test
    void aPositionOfAnotherWorldIsRefusedWithTheReason(@TempDir Path dir) throws Exception {
        Path position = dir.resolve("world.position");
        java.nio.file.Files.writeString(
                position,
                "world=" + LiveWorldFeed.fingerprint(WORLD).replace("=", "\\=") + "\nstart-time=" + FIRST_RUN
                        + "\nevents-sent=10\n");
        try (EventPublisher publisher = publisher()) {
            LiveWorldFeed other = new LiveWorldFeed(WORLD.withSeed(7), position, publisher, new ManualClock(FIRST_RUN));
            assertThatThrownBy(other::run)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("other settings")
                    .hasMessageContaining(position.toString());
        }
    }

    /** Runs a feed, moves the clock to {@code until}, waits for every event due by then and stops the feed cleanly. */
    private static void runUntil(Path position, ManualClock clock, Instant until) throws Exception {
        long due = continuousWorldUntil(until).size();
        try (EventPublisher publisher = publisher()) {
            LiveWorldFeed feed = new LiveWorldFeed(WORLD, position, publisher, clock);
            Thread thread = new Thread(feed, "live-world");
            thread.start();
            // the first run starts the world at the clock's time, and sends its initial videos at once
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> feed.sent() > 0);
            clock.set(until);
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> feed.sent() >= due);
            // nothing more is due, so the feed waits; it must not run ahead
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> feed.sent() == due);
            feed.stop();
            thread.join(10_000);
            assertThat(thread.isAlive()).isFalse();
        }
    }

    private static List<WorldEvent> continuousWorldUntil(Instant until) {
        SyntheticWorld world = new SyntheticWorld(WORLD.withStartTime(FIRST_RUN));
        List<WorldEvent> events = new ArrayList<>();
        while (true) {
            WorldEvent event = world.next();
            if (event.emittedAt().isAfter(until)) {
                return events;
            }
            events.add(event);
        }
    }

    private static EventPublisher publisher() {
        return new EventPublisher(
                config.kafka(), config.registry(), PublishConfig.from(config.section("ingest")), "world-test");
    }

    /** A clock the test moves. */
    private static final class ManualClock extends Clock {
        private final AtomicLong millis;

        ManualClock(Instant start) {
            millis = new AtomicLong(start.toEpochMilli());
        }

        void set(Instant instant) {
            millis.set(instant.toEpochMilli());
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
