package io.sidstream.tokenizer.window.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.testing.KafkaTestSupport;
import io.sidstream.core.topic.Topic;
import io.sidstream.flink.job.RetainedCheckpoints;
import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.EventType;
import io.sidstream.schemas.TrainingExample;
import io.sidstream.tokenizer.window.PositiveRule;
import io.sidstream.tokenizer.window.WindowsConfig;
import io.sidstream.tokenizer.window.fixture.SyntheticEngagements;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill and restore: the job is cancelled mid-stream and started again from its last retained checkpoint. The
 * training-examples topic then holds every expected example exactly once (no duplicate, no gap), each with the
 * history a single uninterrupted run would have given it, and re-deliveries across the restart are still recognised.
 */
class SequenceWindowsRestoreTest {

    private static final int USERS = 60;
    private static final int VIDEOS = 200;
    private static final int EVENTS = 3000;
    private static final String PROBE_USER = "probe";

    private static KafkaTestSupport kafka;

    @BeforeAll
    static void startBroker() {
        kafka = KafkaTestSupport.startWithCatalogTopics();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void afterKillingAndRestoringFromACheckpointTheOutputHasNoDuplicateAndNoGap(@TempDir Path checkpoints)
            throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of(
                "flink.checkpoint-dir", checkpoints.toString(),
                "flink.checkpoint-interval", "300ms",
                "windows.allowed-lateness", "1h",
                "windows.transactional-id-prefix", "restore-test"));
        SidstreamConfig config = kafka.config(settings);
        WindowsConfig windows = WindowsConfig.from(config);

        List<Engagement> stream = scriptWithRedeliveries();
        Map<String, List<String>> expected = expectedHistories(stream, windows);

        try (TopicProducer produce = new TopicProducer(config)) {
            SyntheticEngagements.catalog(VIDEOS, "cb-1", Instant.parse("2026-11-01T00:00:00Z"))
                    .forEach(produce::assignment);
            produce.flush();

            JobClient first = SequenceWindowsJob.start(config);
            // one liked probe per video from a user of its own: once every probe has its example, every SID is in the
            // join's state, so no engagement of the script waits for its SID (a waiting one would reach its user's
            // history late, which the join allows but a single-run comparison cannot express)
            probes().forEach(produce::engagement);
            produce.flush();
            assertThat(kafka.readAll(
                            Topic.TRAINING_EXAMPLES.topicName(), TrainingExample.class, VIDEOS, Duration.ofSeconds(90)))
                    .hasSize(VIDEOS);
            int half = stream.size() / 2;
            for (int i = 0; i < half; i++) {
                produce.engagement(stream.get(i));
            }
            produce.flush();
            // kill it once part of the output is committed and more is in flight
            assertThat(kafka.readAll(
                            Topic.TRAINING_EXAMPLES.topicName(),
                            TrainingExample.class,
                            VIDEOS + 100,
                            Duration.ofSeconds(90)))
                    .hasSizeGreaterThanOrEqualTo(VIDEOS + 100);
            first.cancel().get();

            stream.subList(half, stream.size()).forEach(produce::engagement);
            produce.flush();

            settings.put(
                    "flink.restore-from",
                    RetainedCheckpoints.latest(checkpoints)
                            .orElseThrow(() -> new AssertionError("no retained checkpoint under " + checkpoints))
                            .toString());
            JobClient second = SequenceWindowsJob.start(kafka.config(settings));
            try {
                List<TrainingExample> examples = scripted(kafka.readAll(
                        Topic.TRAINING_EXAMPLES.topicName(),
                        TrainingExample.class,
                        VIDEOS + expected.size(),
                        Duration.ofSeconds(120)));
                // nothing more comes once the job has read and checkpointed past every engagement
                kafka.awaitCommittedToEnd(windows.groupId(), Topic.ENGAGEMENTS.topicName(), Duration.ofMinutes(1));
                List<TrainingExample> settled = scripted(kafka.readAll(
                        Topic.TRAINING_EXAMPLES.topicName(),
                        TrainingExample.class,
                        VIDEOS + expected.size() + 1,
                        Duration.ofSeconds(2)));

                assertThat(settled).hasSameSizeAs(examples);
                List<String> ids =
                        settled.stream().map(TrainingExample::getExampleId).toList();
                assertThat(ids).doesNotHaveDuplicates();
                assertThat(ids).containsExactlyInAnyOrderElementsOf(expected.keySet());
                Map<String, List<String>> histories = settled.stream()
                        .collect(Collectors.toMap(TrainingExample::getExampleId, SequenceWindowsJobTest::historyOf));
                assertThat(histories).containsExactlyInAnyOrderEntriesOf(expected);
            } finally {
                second.cancel().get();
            }
        }
    }

    private static List<TrainingExample> scripted(List<ConsumerRecord<String, TrainingExample>> records) {
        return SequenceWindowsJobTest.values(records).stream()
                .filter(e -> !e.getUserId().equals(PROBE_USER))
                .toList();
    }

    /** A like per video, an hour before the script, from {@link #PROBE_USER}. */
    private static List<Engagement> probes() {
        SyntheticEngagements generator =
                new SyntheticEngagements(3, 1, VIDEOS, Instant.parse("2026-11-01T11:00:00Z"), 1);
        List<Engagement> probes = new ArrayList<>();
        for (int v = 0; v < VIDEOS; v++) {
            probes.add(Engagement.newBuilder(generator.next())
                    .setEventId("probe-" + v)
                    .setUserId(PROBE_USER)
                    .setVideoId(SyntheticEngagements.videoId(v))
                    .setEventType(EventType.LIKE)
                    .build());
        }
        return probes;
    }

    /** The synthetic stream with a re-delivery of an earlier event after every 40th. */
    private static List<Engagement> scriptWithRedeliveries() {
        SyntheticEngagements generator =
                new SyntheticEngagements(7, USERS, VIDEOS, Instant.parse("2026-11-01T12:00:00Z"), 100);
        SplittableRandom random = new SplittableRandom(11);
        List<Engagement> stream = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            stream.add(generator.next());
            if (i % 40 == 39) {
                Engagement again = stream.get(random.nextInt(stream.size()));
                stream.add(Engagement.newBuilder(again).build());
            }
        }
        return stream;
    }

    /** What one uninterrupted run must produce: per positive event, the videos of the user's history before it. */
    private static Map<String, List<String>> expectedHistories(List<Engagement> stream, WindowsConfig windows) {
        PositiveRule rule = windows.positiveRule();
        Set<String> seen = new HashSet<>();
        Map<String, Deque<String>> histories = new HashMap<>();
        Map<String, List<String>> expected = new LinkedHashMap<>();
        for (Engagement e : stream) {
            if (!seen.add(e.getEventId())) {
                continue;
            }
            Deque<String> history = histories.computeIfAbsent(e.getUserId(), u -> new ArrayDeque<>());
            if (rule.isPositive(e)) {
                expected.put(e.getEventId(), List.copyOf(history));
            }
            if (e.getEventType() != EventType.IMPRESSION) {
                history.addLast(e.getVideoId());
                if (history.size() > windows.historyLength()) {
                    history.removeFirst();
                }
            }
        }
        return expected;
    }
}
