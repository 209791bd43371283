package io.sidstream.core.testing;

import io.sidstream.core.config.ConfigLoader;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.topic.TopicAdmin;
import io.sidstream.kafka.embedded.EmbeddedKafkaBroker;
import io.sidstream.schemas.serde.AvroWireDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

/**
 * A real broker for a test class: start it in {@code @BeforeAll}, close it in {@code @AfterAll}. Each instance has
 * its own mock registry scope, so test classes do not share schema ids.
 */
public final class KafkaTestSupport implements AutoCloseable {

    private final EmbeddedKafkaBroker broker;
    private final String registryScope = "test-" + UUID.randomUUID();

    private KafkaTestSupport(EmbeddedKafkaBroker broker) {
        this.broker = broker;
    }

    /** Starts a broker in a temporary directory. */
    public static KafkaTestSupport start() {
        return new KafkaTestSupport(EmbeddedKafkaBroker.builder().build().start());
    }

    /** Starts a broker and creates every catalog topic on it. */
    public static KafkaTestSupport startWithCatalogTopics() {
        KafkaTestSupport kafka = start();
        kafka.createCatalogTopics();
        return kafka;
    }

    public EmbeddedKafkaBroker broker() {
        return broker;
    }

    /** The configuration a component under test gets: the defaults pointed at this broker and registry scope. */
    public SidstreamConfig config(Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>();
        all.put("kafka.bootstrap.servers", broker.bootstrapServers());
        all.put("registry.url", "mock://" + registryScope);
        all.putAll(overrides);
        return ConfigLoader.withOverrides(all);
    }

    public SidstreamConfig config() {
        return config(Map.of());
    }

    public Admin admin() {
        return Admin.create(config().kafka().admin());
    }

    public void createCatalogTopics() {
        try (Admin admin = admin()) {
            new TopicAdmin(admin).ensure(TopicAdmin.desired(config().topics()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads a topic from the beginning (committed records only) until {@code expected} records arrived or the
     * timeout passed; returns what it read, so a test asserts on exactly what is there.
     */
    public <V extends SpecificRecord> List<ConsumerRecord<String, V>> readAll(
            String topic, Class<V> type, int expected, Duration timeout) {
        AvroWireDeserializer<V> values = AvroWireDeserializer.create(config().registry(), type);
        List<ConsumerRecord<String, V>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                config().kafka().consumer("test-reader-" + UUID.randomUUID()),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    out.add(new ConsumerRecord<>(
                            r.topic(), r.partition(), r.offset(), r.key(), values.deserialize(r.topic(), r.value())));
                }
            }
        }
        return out;
    }

    /** Reads raw records the same way, for topics whose bytes a test inspects. */
    public List<ConsumerRecord<byte[], byte[]>> readRaw(String topic, int expected, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                config().kafka().consumer("test-raw-reader-" + UUID.randomUUID()),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(out::add);
            }
        }
        return out;
    }

    /**
     * Waits until consumer group {@code groupId} has committed, for every partition of {@code topic}, the topic's end
     * offset as it is now. A Flink Kafka source commits on checkpoint completion, so a job's group at the end means
     * the job has read every record sent so far and a checkpoint covering them completed: whatever the job made of
     * them is committed, and a test can then assert that nothing more comes, without a sleep.
     */
    public void awaitCommittedToEnd(String groupId, String topic, Duration timeout) {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (TopicPartitionInfo partition : admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get()
                    .get(topic)
                    .partitions()) {
                latest.put(new TopicPartition(topic, partition.partition()), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
            Awaitility.await()
                    .atMost(timeout)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                                .partitionsToOffsetAndMetadata()
                                .get();
                        return ends.entrySet().stream()
                                .allMatch(end -> end.getValue() == 0
                                        || (committed.get(end.getKey()) != null
                                                && committed.get(end.getKey()).offset() >= end.getValue()));
                    });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not read the offsets of " + topic, e);
        }
    }

    @Override
    public void close() {
        broker.close();
    }
}
