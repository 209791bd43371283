package io.sidstream.flink.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.testing.KafkaTestSupport;
import io.sidstream.core.testing.SampleRecords;
import io.sidstream.core.topic.Topic;
import io.sidstream.flink.job.JobEnvironments;
import io.sidstream.flink.job.RetainedCheckpoints;
import io.sidstream.schemas.DeadLetter;
import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.serde.AvroWireSerializer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plumbing every job stands on, end to end on a MiniCluster: a bad record between good ones becomes a dead
 * letter with its coordinates, every good one reaches the exactly-once sink once and in order.
 */
class KafkaConnectorsTest {

    private static final String COPY_TOPIC = "engagements-copy";

    private static KafkaTestSupport kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = KafkaTestSupport.startWithCatalogTopics();
        kafka.admin()
                .createTopics(List.of(new NewTopic(COPY_TOPIC, 1, (short) 1)))
                .all()
                .get();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void badBytesGoToTheDeadLetterTopicAndGoodRecordsAreCopiedExactlyOnce(@TempDir Path checkpoints) throws Exception {
        SidstreamConfig config = kafka.config(
                Map.of("flink.checkpoint-dir", checkpoints.toString(), "flink.checkpoint-interval", "200ms"));
        produce(
                config,
                java.util.Arrays.asList(
                        wire(config, SampleRecords.engagement("e1", "u1", "v1")),
                        "not avro at all".getBytes(StandardCharsets.UTF_8),
                        wire(config, SampleRecords.engagement("e2", "u1", "v2")),
                        null, // no tombstone on a topic that is not compacted: dead-lettered (issue 23, finding 8)
                        wire(config, SampleRecords.engagement("e3", "u2", "v1"))));

        KafkaConnectors connectors = new KafkaConnectors(config);
        StreamExecutionEnvironment env = JobEnvironments.create(connectors.job());
        SingleOutputStreamOperator<Engagement> engagements = connectors.read(
                env,
                Topic.ENGAGEMENTS,
                Engagement.class,
                "plumbing-test",
                "plumbing-test",
                WatermarkStrategy.noWatermarks());
        engagements.sinkTo(connectors.sink(
                new AvroKafkaSerializer<>(config.registry(), Engagement.class, COPY_TOPIC, e -> e.getUserId()),
                "plumbing-test-copy"));
        engagements.getSideOutput(DeadLetterOutput.TAG).sinkTo(connectors.deadLetterSink("plumbing-test-dlq"));

        JobClient job = env.executeAsync("plumbing-test");
        try {
            List<ConsumerRecord<String, Engagement>> copied =
                    kafka.readAll(COPY_TOPIC, Engagement.class, 3, Duration.ofSeconds(60));
            List<ConsumerRecord<String, DeadLetter>> dead =
                    kafka.readAll(Topic.ENGAGEMENTS.deadLetterTopic(), DeadLetter.class, 2, Duration.ofSeconds(60));

            assertThat(copied).extracting(r -> r.value().getEventId()).containsExactly("e1", "e2", "e3");
            assertThat(copied).extracting(ConsumerRecord::key).containsExactly("u1", "u1", "u2");
            // once the job has read and checkpointed past every input record, the copy still holds each once
            kafka.awaitCommittedToEnd("plumbing-test", Topic.ENGAGEMENTS.topicName(), Duration.ofSeconds(60));
            assertThat(kafka.readAll(COPY_TOPIC, Engagement.class, 4, Duration.ofSeconds(2)))
                    .hasSize(3);
            assertThat(dead).hasSize(2);
            assertThat(dead.get(1).value().getErrorClass()).isEqualTo("NULL_VALUE");
            assertThat(dead.get(1).value().getOffset()).isEqualTo(3L);
            assertThat(dead.get(0)).satisfies(letter -> {
                assertThat(letter.value().getSourceTopic()).isEqualTo(Topic.ENGAGEMENTS.topicName());
                assertThat(letter.value().getOffset()).isEqualTo(1L);
                assertThat(letter.value().getErrorClass()).isEqualTo("BAD_MAGIC_BYTE");
                assertThat(letter.value().getStage()).isEqualTo("plumbing-test");
                assertThat(StandardCharsets.UTF_8
                                .decode(letter.value().getPayload())
                                .toString())
                        .isEqualTo("not avro at all");
            });
        } finally {
            job.cancel().get();
        }
        // the job's state stays behind for the next start (flink.restore-from)
        assertThat(RetainedCheckpoints.latest(checkpoints)).hasValueSatisfying(chk -> {
            assertThat(chk.getFileName().toString()).startsWith("chk-");
            assertThat(chk.resolve("_metadata")).exists();
        });
        assertThat(RetainedCheckpoints.latest(checkpoints.resolve("nothing-here")))
                .isEmpty();
    }

    private static byte[] wire(SidstreamConfig config, Engagement engagement) {
        try (AvroWireSerializer<Engagement> serializer =
                AvroWireSerializer.create(config.registry(), Engagement.class)) {
            return serializer.serialize(Topic.ENGAGEMENTS.topicName(), engagement);
        }
    }

    private static void produce(SidstreamConfig config, List<byte[]> values) {
        Properties props = new Properties();
        props.putAll(config.kafka().producer("plumbing-test-producer"));
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            values.forEach(value -> producer.send(new ProducerRecord<>(Topic.ENGAGEMENTS.topicName(), 0, null, value)));
            producer.flush();
        }
    }
}
