package io.sidstream.ingest.publish;

import io.sidstream.core.config.KafkaClientConfig;
import io.sidstream.core.topic.Topic;
import io.sidstream.schemas.DeadLetter;
import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.VideoRemoved;
import io.sidstream.schemas.VideoUploaded;
import io.sidstream.schemas.serde.AvroWireSerializer;
import io.sidstream.schemas.serde.RegistryConfig;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The one way ingest writes events: a durable producer (acks=all, idempotent) with the Schema Registry serde, keyed
 * as the topic catalog says (uploads and removals by video id, engagements by user id). Each send returns a future
 * that completes only when Kafka has the record, or fails once the delivery timeout has passed. Thread-safe.
 */
public final class EventPublisher implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EventPublisher.class);

    private final Map<String, Object> props;
    private final java.time.Duration deliveryTimeout;
    private final java.util.concurrent.atomic.AtomicReference<Producer<String, byte[]>> producer =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();
    private final AvroWireSerializer<VideoUploaded> uploads;
    private final AvroWireSerializer<VideoRemoved> removals;
    private final AvroWireSerializer<Engagement> engagements;
    private final AvroWireSerializer<DeadLetter> deadLetters;

    public EventPublisher(KafkaClientConfig kafka, RegistryConfig registry, PublishConfig config, String role) {
        Map<String, Object> props = kafka.producer(config.clientId() + "-" + role);
        long delivery = config.deliveryTimeout().toMillis();
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(delivery));
        // delivery.timeout.ms must cover linger + one request; keep each request shorter so retries fit inside it
        long linger = Long.parseLong(String.valueOf(props.getOrDefault(ProducerConfig.LINGER_MS_CONFIG, "5")));
        props.putIfAbsent(
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(500, (delivery - linger) / 2)));
        // send() must not park a request thread for long when the broker is unreachable: fail fast, answer 503
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(Math.min(delivery, 5000)));
        props.putIfAbsent(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        this.props = props;
        this.deliveryTimeout = config.deliveryTimeout();
        this.producer.set(newProducer());
        this.uploads = AvroWireSerializer.create(registry, VideoUploaded.class);
        this.removals = AvroWireSerializer.create(registry, VideoRemoved.class);
        this.engagements = AvroWireSerializer.create(registry, Engagement.class);
        this.deadLetters = AvroWireSerializer.create(registry, DeadLetter.class);
    }

    public CompletableFuture<RecordMetadata> upload(VideoUploaded video) {
        String topic = Topic.VIDEO_UPLOADS.topicName();
        return send(topic, video.getVideoId(), uploads.serialize(topic, video));
    }

    public CompletableFuture<RecordMetadata> removal(VideoRemoved removal) {
        String topic = Topic.VIDEO_REMOVALS.topicName();
        return send(topic, removal.getVideoId(), removals.serialize(topic, removal));
    }

    public CompletableFuture<RecordMetadata> engagement(Engagement engagement) {
        String topic = Topic.ENGAGEMENTS.topicName();
        return send(topic, engagement.getUserId(), engagements.serialize(topic, engagement));
    }

    /** Any of the three ingest contracts, dispatched by type. */
    public CompletableFuture<RecordMetadata> publish(Object event) {
        if (event instanceof VideoUploaded v) {
            return upload(v);
        } else if (event instanceof Engagement e) {
            return engagement(e);
        } else if (event instanceof VideoRemoved r) {
            return removal(r);
        }
        throw new IllegalArgumentException(
                "not an ingest event: " + event.getClass().getName());
    }

    /** A dead letter to {@code <source topic>.dlq}, acknowledged like any event. */
    public CompletableFuture<RecordMetadata> deadLetter(DeadLetter letter) {
        String topic = letter.getSourceTopic() + Topic.DLQ_SUFFIX;
        ByteBuffer key = letter.getKey();
        String keyText = key == null
                ? null
                : java.nio.charset.StandardCharsets.UTF_8
                        .decode(key.duplicate())
                        .toString();
        return send(topic, keyText, deadLetters.serialize(topic, letter));
    }

    /** Blocks until everything sent so far has completed (acknowledged or failed). */
    public void flush() {
        producer.get().flush();
    }

    public java.time.Duration deliveryTimeout() {
        return deliveryTimeout;
    }

    /** Identifies the producer sends go to now; pass it to {@link #abandon(long, String)}. */
    public long generation() {
        return generation.get();
    }

    /**
     * Gives up on a producer whose sends outlived the delivery timeout. An idempotent producer that lost its broker
     * can hold new records behind a producer-id request that only the broker can answer, so they neither succeed nor
     * expire; closing it without waiting fails every record it still holds (none of which reached a broker), and a
     * fresh producer takes the next sends. Only the first caller for a generation replaces it.
     */
    public void abandon(long stuckGeneration, String why) {
        Producer<String, byte[]> old;
        synchronized (this) {
            if (generation.get() != stuckGeneration) {
                return;
            }
            old = producer.getAndSet(newProducer());
            generation.incrementAndGet();
        }
        LOG.warn("Kafka producer replaced: {}; its unacknowledged records fail and are reported as not written", why);
        Thread closer = new Thread(() -> old.close(java.time.Duration.ZERO), "ingest-producer-abandon");
        closer.setDaemon(true);
        closer.start();
    }

    private Producer<String, byte[]> newProducer() {
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private CompletableFuture<RecordMetadata> send(String topic, String key, byte[] value) {
        CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
        try {
            producer.get().send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
                if (error == null) {
                    result.complete(metadata);
                } else {
                    result.completeExceptionally(error);
                }
            });
        } catch (RuntimeException e) {
            // buffer full past max.block.ms, metadata unavailable, producer closed: the record was never queued
            result.completeExceptionally(e);
        }
        return result;
    }

    @Override
    public void close() {
        producer.get().close();
    }
}
