package io.sidstream.core.config;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Properties for Kafka clients: everything under {@code kafka.*}, passed through, plus the settings sidstream
 * relies on for correctness, which callers cannot weaken by accident.
 */
public record KafkaClientConfig(Map<String, String> properties) {

    public KafkaClientConfig {
        properties = Map.copyOf(properties);
    }

    public String bootstrapServers() {
        return properties.get("bootstrap.servers");
    }

    /** Admin-client properties. */
    public Map<String, Object> admin() {
        return new HashMap<>(properties);
    }

    /**
     * A durable producer: nothing is acknowledged before every in-sync replica has it, and retries never duplicate
     * or reorder.
     */
    public Map<String, Object> producer(String clientId) {
        Map<String, Object> p = new HashMap<>(properties);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return p;
    }

    /**
     * A consumer in a group that commits only what its owner has processed, and reads only committed
     * transactional output (the Flink jobs write exactly-once).
     */
    public Map<String, Object> consumer(String groupId) {
        Map<String, Object> c = new HashMap<>(properties);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return c;
    }
}
