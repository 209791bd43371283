package io.sidstream.core.topic;

import static org.assertj.core.api.Assertions.assertThat;

import io.sidstream.core.testing.KafkaTestSupport;
import io.sidstream.core.testing.SampleRecords;
import io.sidstream.schemas.DeadLetter;
import io.sidstream.schemas.serde.AvroWireSerializer;
import java.time.Duration;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every contract goes through the real broker with the wire-format serde and comes back equal. */
class EverySchemaRoundTripTest {

    static KafkaTestSupport kafka;

    @BeforeAll
    static void startBroker() {
        kafka = KafkaTestSupport.startWithCatalogTopics();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @ParameterizedTest
    @EnumSource(Topic.class)
    void catalogTopicValueRoundTrips(Topic topic) throws Exception {
        SpecificRecord sample = SampleRecords.forTopic(topic);
        assertThat(sample).isInstanceOf(topic.valueType());
        assertThat(roundTrip(topic.topicName(), sample)).isEqualTo(sample);
    }

    @Test
    void deadLetterRoundTrips() throws Exception {
        DeadLetter letter = SampleRecords.deadLetter();
        assertThat(roundTrip(Topic.ENGAGEMENTS.deadLetterTopic(), letter)).isEqualTo(letter);
    }

    @SuppressWarnings("unchecked")
    private <V extends SpecificRecord> V roundTrip(String topic, V value) throws Exception {
        Class<V> type = (Class<V>) value.getClass();
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(
                kafka.config().kafka().producer("round-trip"),
                new StringSerializer(),
                AvroWireSerializer.create(kafka.config().registry(), type))) {
            producer.send(new ProducerRecord<>(topic, "k", value)).get();
        }
        List<ConsumerRecord<String, V>> read = kafka.readAll(topic, type, 1, Duration.ofSeconds(20));
        assertThat(read).hasSize(1);
        assertThat(read.get(0).key()).isEqualTo("k");
        return read.get(0).value();
    }
}
