package io.sidstream.core.deadletter;

import io.sidstream.core.config.KafkaClientConfig;
import io.sidstream.core.topic.Topic;
import io.sidstream.schemas.DeadLetter;
import io.sidstream.schemas.serde.AvroWireSerializer;
import io.sidstream.schemas.serde.RegistryConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes dead letters to {@code <source topic>.dlq} with a durable producer and counts them. {@link #flush()} waits
 * until every dead letter sent so far is on the broker and fails if one was not, so a consumer commits its offsets
 * only after its rejects are safe.
 */
public final class DeadLetterSink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterSink.class);

    private final Producer<byte[], DeadLetter> producer;
    private final List<Future<RecordMetadata>> inFlight = new ArrayList<>();

    public DeadLetterSink(KafkaClientConfig kafka, RegistryConfig registry, String clientId) {
        this.producer = new KafkaProducer<>(
                kafka.producer(clientId + "-dlq"),
                new ByteArraySerializer(),
                AvroWireSerializer.create(registry, DeadLetter.class));
    }

    /** Sends a dead letter to the dead-letter topic of its source topic. */
    public synchronized void send(DeadLetter letter) {
        String topic = letter.getSourceTopic() + Topic.DLQ_SUFFIX;
        byte[] key = letter.getKey() == null ? null : bytes(letter.getKey());
        inFlight.add(producer.send(new ProducerRecord<>(topic, key, letter), (metadata, error) -> {
            if (error == null) {
                DeadLetterMetrics.count(letter.getSourceTopic(), letter.getErrorClass(), letter.getStage());
            }
        }));
        LOG.warn(
                "dead letter to {}: {} {} (partition {}, offset {})",
                topic,
                letter.getErrorClass(),
                letter.getReason(),
                letter.getPartition(),
                letter.getOffset());
    }

    /** Blocks until every dead letter sent so far is acknowledged; throws if any was not written. */
    public synchronized void flush() {
        producer.flush();
        try {
            for (Future<RecordMetadata> f : inFlight) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing dead letters", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "a dead letter could not be written: " + e.getCause().getMessage(), e.getCause());
        } finally {
            inFlight.clear();
        }
    }

    @Override
    public void close() {
        try {
            flush();
        } finally {
            producer.close();
        }
    }

    private static byte[] bytes(java.nio.ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return copy;
    }
}
