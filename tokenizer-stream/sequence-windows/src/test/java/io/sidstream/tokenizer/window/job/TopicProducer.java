package io.sidstream.tokenizer.window.job;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.topic.Topic;
import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.SidAssigned;
import io.sidstream.schemas.VideoRemoved;
import io.sidstream.schemas.serde.AvroWireSerializer;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Writes the job's input topics the way upstream does: registry wire format, keyed as the catalog says. */
final class TopicProducer implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final AvroWireSerializer<Engagement> engagements;
    private final AvroWireSerializer<SidAssigned> assignments;
    private final AvroWireSerializer<VideoRemoved> removals;

    TopicProducer(SidstreamConfig config) {
        Properties props = new Properties();
        props.putAll(config.kafka().producer("windows-test-producer"));
        producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        engagements = AvroWireSerializer.create(config.registry(), Engagement.class);
        assignments = AvroWireSerializer.create(config.registry(), SidAssigned.class);
        removals = AvroWireSerializer.create(config.registry(), VideoRemoved.class);
    }

    void engagement(Engagement e) {
        send(Topic.ENGAGEMENTS.topicName(), e.getUserId(), engagements.serialize(Topic.ENGAGEMENTS.topicName(), e));
    }

    void assignment(SidAssigned a) {
        send(
                Topic.SID_ASSIGNMENTS.topicName(),
                a.getVideoId(),
                assignments.serialize(Topic.SID_ASSIGNMENTS.topicName(), a));
    }

    void removal(VideoRemoved r) {
        send(Topic.VIDEO_REMOVALS.topicName(), r.getVideoId(), removals.serialize(Topic.VIDEO_REMOVALS.topicName(), r));
    }

    void raw(String topic, String key, byte[] value) {
        send(topic, key, value);
    }

    void flush() {
        producer.flush();
    }

    private void send(String topic, String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value));
    }

    @Override
    public void close() {
        producer.close();
    }
}
