package io.sidstream.core.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.sidstream.core.testing.KafkaTestSupport;
import io.sidstream.core.testing.SampleRecords;
import io.sidstream.core.topic.Topic;
import io.sidstream.schemas.DeadLetter;
import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.serde.AvroWireSerializer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DecodingConsumerTest {

    private static final String TOPIC = Topic.ENGAGEMENTS.topicName();
    static KafkaTestSupport kafka;

    @BeforeAll
    static void startBroker() {
        kafka = KafkaTestSupport.startWithCatalogTopics();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void badRecordsGoToTheDeadLetterTopicWithTheirReasonAndTheNextGoodRecordIsConsumed() throws Exception {
        Engagement good1 = SampleRecords.engagement("e1", "u1", "v1");
        Engagement good2 = SampleRecords.engagement("e2", "u1", "v2");
        byte[] valid = serialize(good1);
        byte[] badMagic = valid.clone();
        badMagic[0] = 7;
        byte[] unknownId = valid.clone();
        ByteBuffer.wrap(unknownId).putInt(1, 999_999);
        byte[] truncated = Arrays.copyOf(valid, valid.length - 6);
        byte[] tooShort = {0, 0, 1};

        // all on partition 0, in this order, so offsets are known; a null value on this topic, which is not compacted,
        // is no tombstone but an empty event: dead-lettered and counted (issue 23, finding 8: it was dropped silently)
        List<byte[]> values = Arrays.asList(valid, badMagic, unknownId, truncated, tooShort, null, serialize(good2));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                kafka.config().kafka().producer("raw"), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (byte[] value : values) {
                producer.send(new ProducerRecord<>(TOPIC, 0, "u1".getBytes(), value))
                        .get();
            }
        }

        double countedBefore = deadLettersCounted("UNKNOWN_SCHEMA_ID");
        List<Engagement> consumed = new ArrayList<>();
        try (DecodingConsumer<Engagement> consumer = new DecodingConsumer<>(
                kafka.config().kafka(), kafka.config().registry(), "dlq-test", Engagement.class, "test-stage")) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumed.size() < 2 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> consumed.add(r.value()));
            }
            consumer.commit();
            assertThat(consumer.deadLettered()).isEqualTo(5);
        }
        assertThat(consumed).containsExactly(good1, good2);

        List<ConsumerRecord<String, DeadLetter>> letters =
                kafka.readAll(Topic.ENGAGEMENTS.deadLetterTopic(), DeadLetter.class, 5, Duration.ofSeconds(20));
        assertThat(letters)
                .extracting(r -> r.value().getErrorClass())
                .containsExactly(
                        "BAD_MAGIC_BYTE", "UNKNOWN_SCHEMA_ID", "CORRUPT_PAYLOAD", "TRUNCATED_HEADER", "NULL_VALUE");
        assertThat(letters).extracting(r -> r.value().getOffset()).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(letters.get(4).value().getPayload()).isNull();
        assertThat(bytes(letters.get(4).value().getKey())).isEqualTo("u1".getBytes());
        DeadLetter unknown = letters.get(1).value();
        assertThat(unknown.getReason()).contains("schema id 999999 is not in the registry");
        assertThat(unknown.getSourceTopic()).isEqualTo(TOPIC);
        assertThat(unknown.getPartition()).isZero();
        assertThat(unknown.getStage()).isEqualTo("test-stage");
        assertThat(bytes(unknown.getPayload())).isEqualTo(unknownId);
        assertThat(bytes(unknown.getKey())).isEqualTo("u1".getBytes());
        assertThat(letters.get(0).value().getReason()).contains("first byte is 0x07");
        assertThat(deadLettersCounted("UNKNOWN_SCHEMA_ID")).isEqualTo(countedBefore + 1);

        // committed: a restarted consumer of the same group reads nothing again
        try (DecodingConsumer<Engagement> restarted = new DecodingConsumer<>(
                kafka.config().kafka(), kafka.config().registry(), "dlq-test", Engagement.class, "test-stage")) {
            restarted.subscribe(List.of(TOPIC));
            List<ConsumerRecord<String, Engagement>> again = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                again.addAll(restarted.poll(Duration.ofMillis(200)));
            }
            assertThat(again).isEmpty();
            assertThat(restarted.deadLettered()).isZero();
        }
    }

    private static byte[] serialize(Engagement engagement) {
        return AvroWireSerializer.create(kafka.config().registry(), Engagement.class)
                .serialize(TOPIC, engagement);
    }

    private static double deadLettersCounted(String errorClass) {
        for (CounterSnapshot.CounterDataPointSnapshot point :
                DeadLetterMetrics.DEAD_LETTERS.collect().getDataPoints()) {
            Map<String, String> labels = new java.util.HashMap<>();
            point.getLabels().forEach(l -> labels.put(l.getName(), l.getValue()));
            if (TOPIC.equals(labels.get("topic")) && errorClass.equals(labels.get("error_class"))) {
                return point.getValue();
            }
        }
        return 0;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return copy;
    }
}
