package io.sidstream.flink.kafka;

import io.sidstream.core.config.KafkaClientConfig;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.topic.Topic;
import io.sidstream.flink.job.FlinkJobConfig;
import io.sidstream.schemas.DeadLetter;
import io.sidstream.schemas.serde.RegistryConfig;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Either;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Kafka sources and sinks for the catalog's topics, configured from sidstream's config: every {@code kafka.*} key
 * reaches the clients (SASL, TLS), values travel in the registry wire format, consumers read committed data only,
 * and sinks deliver as {@code flink.delivery} says.
 */
public final class KafkaConnectors {

    private final KafkaClientConfig kafka;
    private final RegistryConfig registry;
    private final FlinkJobConfig job;

    public KafkaConnectors(SidstreamConfig config) {
        this(config.kafka(), config.registry(), FlinkJobConfig.from(config));
    }

    public KafkaConnectors(KafkaClientConfig kafka, RegistryConfig registry, FlinkJobConfig job) {
        this.kafka = kafka;
        this.registry = registry;
        this.job = job;
    }

    public FlinkJobConfig job() {
        return job;
    }

    /**
     * A source over one topic, starting from the group's committed offsets (earliest when it has none); records that
     * cannot be decoded come out as dead letters (see {@link DeadLetterOutput#split}).
     */
    public <T extends SpecificRecordBase> KafkaSource<Either<DeadLetter, T>> source(
            Topic topic, Class<T> type, String groupId, String stage) {
        requireContract(topic, type);
        return source(topic, groupId, new AvroKafkaDeserializer<>(registry, type, stage));
    }

    /**
     * As {@link #source(Topic, Class, String, String)}, with a deserializer of the job's own (one that keeps where
     * each record was read, for example); it should dead-letter what it cannot decode as {@link AvroKafkaDeserializer}
     * does.
     */
    public <T> KafkaSource<T> source(Topic topic, String groupId, KafkaRecordDeserializationSchema<T> deserializer) {
        return KafkaSource.<T>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setProperties(properties(kafka.consumer(groupId)))
                .setGroupId(groupId)
                .setTopics(topic.topicName())
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(deserializer)
                .build();
    }

    /**
     * Reads a topic into the job: its decoded values, with undecodable records on the
     * {@link DeadLetterOutput#TAG} side output of the returned operator.
     */
    public <T extends SpecificRecordBase> SingleOutputStreamOperator<T> read(
            StreamExecutionEnvironment env,
            Topic topic,
            Class<T> type,
            String groupId,
            String stage,
            WatermarkStrategy<Either<DeadLetter, T>> watermarks) {
        return DeadLetterOutput.split(
                env.fromSource(source(topic, type, groupId, stage), watermarks, topic.topicName())
                        .uid(topic.topicName() + "-source"),
                type);
    }

    /** A sink to one topic, keyed as the catalog says. */
    public <T extends SpecificRecordBase> KafkaSink<T> sink(
            Topic topic, Class<T> type, SerializableFunction<T, String> key, String transactionalIdPrefix) {
        requireContract(topic, type);
        return sink(new AvroKafkaSerializer<>(registry, type, topic.topicName(), key), transactionalIdPrefix);
    }

    /** The one dead-letter sink of a job; each letter goes to its source topic's {@code .dlq}. */
    public KafkaSink<DeadLetter> deadLetterSink(String transactionalIdPrefix) {
        return sink(new DeadLetterSerializer(registry), transactionalIdPrefix);
    }

    /**
     * As {@link #sink(Topic, Class, SerializableFunction, String)}, with producer defaults for this sink that
     * {@code kafka.*} keys still override (a sink of many records per second wants larger batches, for example).
     */
    public <T extends SpecificRecordBase> KafkaSink<T> sink(
            Topic topic,
            Class<T> type,
            SerializableFunction<T, String> key,
            String transactionalIdPrefix,
            Map<String, String> producerDefaults) {
        requireContract(topic, type);
        return sink(
                new AvroKafkaSerializer<>(registry, type, topic.topicName(), key),
                transactionalIdPrefix,
                producerDefaults);
    }

    /** A sink with its own serializer (a topic outside the catalog, a custom routing), delivering as configured. */
    public <T> KafkaSink<T> sink(KafkaRecordSerializationSchema<T> serializer, String transactionalIdPrefix) {
        return sink(serializer, transactionalIdPrefix, Map.of());
    }

    private <T> KafkaSink<T> sink(
            KafkaRecordSerializationSchema<T> serializer,
            String transactionalIdPrefix,
            Map<String, String> producerDefaults) {
        Properties producer = properties(kafka.producer(transactionalIdPrefix));
        producerDefaults.forEach((name, value) -> {
            if (!kafka.properties().containsKey(name)) {
                producer.setProperty(name, value);
            }
        });
        // the sink names its producers per subtask; one shared client.id would collide in JMX and quotas
        producer.remove(ProducerConfig.CLIENT_ID_CONFIG);
        producer.setProperty(
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                Long.toString(job.transactionTimeout().toMillis()));
        return KafkaSink.<T>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setKafkaProducerConfig(producer)
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(job.delivery())
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .build();
    }

    public DeliveryGuarantee delivery() {
        return job.delivery();
    }

    private static void requireContract(Topic topic, Class<?> type) {
        if (!topic.valueType().equals(type)) {
            throw new IllegalArgumentException("topic " + topic.topicName() + " carries "
                    + topic.valueType().getSimpleName() + ", not " + type.getSimpleName());
        }
    }

    private static Properties properties(Map<String, Object> map) {
        Properties properties = new Properties();
        map.forEach((key, value) -> properties.setProperty(key, String.valueOf(value)));
        properties.remove(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        return properties;
    }
}
