package io.sidstream.tokenizer.window.job;

import static io.sidstream.tokenizer.window.Fixtures.like;
import static io.sidstream.tokenizer.window.Fixtures.removed;
import static io.sidstream.tokenizer.window.Fixtures.sid;
import static io.sidstream.tokenizer.window.Fixtures.watch;
import static org.assertj.core.api.Assertions.assertThat;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.testing.FlinkReporterScrape;
import io.sidstream.core.testing.KafkaTestSupport;
import io.sidstream.core.topic.Topic;
import io.sidstream.core.topic.TopicAdmin;
import io.sidstream.core.topic.TopicSpec;
import io.sidstream.schemas.DeadLetter;
import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.HistoryItem;
import io.sidstream.schemas.TrainingExample;
import io.sidstream.schemas.serde.AvroWireDeserializer;
import io.sidstream.tokenizer.window.WindowsConfig;
import io.sidstream.tokenizer.window.join.EngagementRejections;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job on a MiniCluster over a real broker: a scripted stream (a duplicate, a video whose SID comes late, a
 * removed video, one that never gets a SID, a late event, undecodable bytes, a codebook change) gives exactly the
 * expected examples, and every engagement it could not use is in the DLQ with its reason.
 */
class SequenceWindowsJobTest {

    private static KafkaTestSupport kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = KafkaTestSupport.start();
        // one partition each, so the script's order is the order the job reads
        List<TopicSpec> specs = new ArrayList<>();
        for (Topic topic : Topic.values()) {
            boolean ordered = topic == Topic.ENGAGEMENTS || topic == Topic.SID_ASSIGNMENTS;
            specs.addAll(topic.specs(ordered ? 1 : topic.defaultPartitions(), (short) 1));
        }
        try (Admin admin = kafka.admin()) {
            new TopicAdmin(admin).ensure(specs);
        }
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void aScriptedStreamGivesExactlyTheExpectedExamplesAndDeadLetters(@TempDir Path checkpoints, @TempDir Path lake)
            throws Exception {
        int metricsPort = FlinkReporterScrape.freePort();
        SidstreamConfig config = kafka.config(Map.of(
                "flink.metrics-port", Integer.toString(metricsPort),
                "windows.file-sink.enabled", "true",
                "windows.file-sink.path", lake.toString(),
                "flink.checkpoint-dir", checkpoints.toString(),
                "flink.checkpoint-interval", "500ms",
                "windows.unresolved-timeout", "2s",
                "windows.out-of-orderness", "1s",
                "windows.allowed-lateness", "1s",
                "windows.transactional-id-prefix", "scripted"));
        try (TopicProducer produce = new TopicProducer(config)) {
            for (int v = 1; v <= 5; v++) {
                produce.assignment(sid("v" + v, "cb-1", v, v, v, 0));
            }
            produce.removal(removed("v5"));
            produce.assignment(sid("probe-video", "cb-1", 9, 9, 9, 9));
            produce.flush();

            JobClient job = SequenceWindowsJob.start(config);
            try {
                // the probe's example means the catalog is loaded and the watermark stands near T0 + 100 s
                produce.engagement(like("probe", "probe-user", "probe-video", 100));
                produce.flush();
                assertThat(kafka.readAll(
                                Topic.TRAINING_EXAMPLES.topicName(), TrainingExample.class, 1, Duration.ofSeconds(90)))
                        .hasSize(1);

                produce.engagement(watch("e1", "u1", "v1", 0.2, 101)); // history only
                produce.engagement(like("e2", "u1", "v2", 110)); // example: [v1]
                produce.engagement(like("e2", "u1", "v2", 110)); // re-delivery: ignored
                produce.engagement(watch("e3", "u1", "v3", 0.9, 120)); // example: [v1, v2]
                produce.engagement(watch("e4", "u2", "v9", 0.6, 121)); // waits for v9's SID
                produce.engagement(watch("e5", "u3", "v4", 0.7, 122)); // example: []
                produce.engagement(like("e6", "u3", "v5", 123)); // removed video: DLQ
                produce.engagement(like("e7", "u4", "v8", 124)); // never gets a SID: DLQ after 2 s
                produce.engagement(like("e9", "u5", "v1", 50)); // far behind the watermark: DLQ
                produce.engagement(like("e10", "u1", "v-new", 130)); // codebook cb-2: v1..v3 are stale
                produce.raw(Topic.ENGAGEMENTS.topicName(), "u6", "not avro".getBytes(StandardCharsets.UTF_8));
                produce.flush();
                produce.assignment(sid("v9", "cb-1", 8, 8, 8, 0));
                produce.assignment(sid("v-new", "cb-2", 7, 7, 7, 0));
                produce.flush();

                List<TrainingExample> examples = values(kafka.readAll(
                        Topic.TRAINING_EXAMPLES.topicName(), TrainingExample.class, 6, Duration.ofSeconds(60)));
                List<DeadLetter> deadLetters = values(kafka.readAll(
                        Topic.ENGAGEMENTS.deadLetterTopic(), DeadLetter.class, 4, Duration.ofSeconds(60)));

                Map<String, TrainingExample> byId =
                        examples.stream().collect(Collectors.toMap(TrainingExample::getExampleId, Function.identity()));
                assertThat(examples).hasSize(6);
                assertThat(byId.keySet()).containsExactlyInAnyOrder("probe", "e2", "e3", "e4", "e5", "e10");
                assertThat(historyOf(byId.get("e2"))).containsExactly("v1");
                assertThat(historyOf(byId.get("e3"))).containsExactly("v1", "v2");
                assertThat(historyOf(byId.get("e4"))).isEmpty();
                assertThat(byId.get("e4").getTargetSid()).containsExactly(8, 8, 8, 0);
                assertThat(historyOf(byId.get("e5"))).isEmpty();
                assertThat(byId.get("e10").getCodebookVersion()).isEqualTo("cb-2");
                assertThat(byId.get("e10").getTargetSid()).containsExactly(7, 7, 7, 0);
                assertThat(historyOf(byId.get("e10"))).isEmpty();
                assertThat(byId.get("e3").getCodebookVersion()).isEqualTo("cb-1");

                assertThat(deadLetters.stream()
                                .collect(Collectors.toMap(DeadLetter::getErrorClass, d -> d.getReason())))
                        .hasSize(4)
                        .hasEntrySatisfying(
                                EngagementRejections.REMOVED, r -> assertThat(r).contains("e6"))
                        .hasEntrySatisfying(
                                EngagementRejections.UNRESOLVED,
                                r -> assertThat(r).contains("e7").contains("v8"))
                        .hasEntrySatisfying(
                                EngagementRejections.LATE, r -> assertThat(r).contains("e9"))
                        .containsKey("BAD_MAGIC_BYTE");
                // each names the record it came from, engagements rejected long after decoding included
                Map<Long, String> eventAt = eventIdsByOffset(config);
                assertThat(deadLetters).allSatisfy(letter -> {
                    assertThat(letter.getPartition())
                            .as("partition of %s", letter.getErrorClass())
                            .isZero();
                    assertThat(letter.getOffset())
                            .as("offset of %s", letter.getErrorClass())
                            .isNotNull();
                    if (!letter.getErrorClass().equals("BAD_MAGIC_BYTE")) {
                        assertThat(letter.getReason()).contains("(event " + eventAt.get(letter.getOffset()) + ")");
                    }
                });

                // later checkpoints add nothing: each example once (once the job has read and checkpointed past every
                // engagement, whatever it wrote is visible)
                kafka.awaitCommittedToEnd(
                        WindowsConfig.from(config).groupId(), Topic.ENGAGEMENTS.topicName(), Duration.ofMinutes(1));
                assertThat(kafka.readAll(
                                Topic.TRAINING_EXAMPLES.topicName(), TrainingExample.class, 7, Duration.ofSeconds(2)))
                        .hasSize(6);

                // the data lake: the same examples in committed Avro files of their event hour
                assertThat(committedFileExamples(lake.resolve("dt=2026-11-01/hour=12")))
                        .containsExactlyInAnyOrder("probe", "e2", "e3", "e4", "e5", "e10");

                // the job records engagement_to_example itself, and Flink's Prometheus reporter exports it
                FlinkReporterScrape.awaitFreshness(metricsPort, "engagement_to_example");
            } finally {
                job.cancel().get();
            }
        }
    }

    /** The event id of each decodable record on the engagements topic, by offset (its one partition). */
    private static Map<Long, String> eventIdsByOffset(SidstreamConfig config) {
        Map<Long, String> ids = new java.util.HashMap<>();
        try (var decoder = AvroWireDeserializer.create(config.registry(), Engagement.class)) {
            for (var record : kafka.readRaw(Topic.ENGAGEMENTS.topicName(), 12, Duration.ofSeconds(30))) {
                if (record.value() != null && record.value().length > 0 && record.value()[0] == 0) {
                    ids.put(
                            record.offset(),
                            decoder.deserialize(record.topic(), record.value()).getEventId());
                }
            }
        }
        return ids;
    }

    /** Example ids in the finished part files of one partition (in-progress files start with a dot). */
    private static List<String> committedFileExamples(Path partition) throws Exception {
        List<String> ids = new ArrayList<>();
        try (var files = java.nio.file.Files.list(partition)) {
            for (Path file : files.filter(f -> !f.getFileName().toString().startsWith("."))
                    .toList()) {
                try (var reader = new org.apache.avro.file.DataFileReader<>(
                        file.toFile(), new org.apache.avro.specific.SpecificDatumReader<>(TrainingExample.class))) {
                    reader.forEach(example -> ids.add(example.getExampleId()));
                }
            }
        }
        return ids;
    }

    static List<String> historyOf(TrainingExample example) {
        return example.getHistory().stream().map(HistoryItem::getVideoId).toList();
    }

    static <V> List<V> values(List<ConsumerRecord<String, V>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }
}
