package io.sidstream.core.topic;

import io.sidstream.schemas.serde.AvroWireSerializer;
import io.sidstream.schemas.serde.RegistryConfig;
import io.sidstream.schemas.serde.SchemaRegistryClients;
import io.sidstream.schemas.serde.WireFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.SchemaRegistryClient;

/**
 * Registers the value schema of every catalog topic (and its dead-letter topic) under its TopicNameStrategy
 * subject, always in catalog order. In production this is the release step when auto-registration is off; on the
 * embedded mock registry, which forgets everything when the JVM stops, the fixed order gives every schema the same
 * id on every start, so records kept by the embedded broker stay readable after a restart.
 */
public final class TopicSchemas {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TopicSchemas.class);

    private TopicSchemas() {}

    /** Subject to schema id, in registration order. */
    public static Map<String, Integer> registerAll(RegistryConfig config) {
        SchemaRegistryClient client = SchemaRegistryClients.create(config);
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (Topic topic : Topic.values()) {
            register(client, topic.topicName(), topic.valueType(), ids);
            if (topic.hasDeadLetters()) {
                register(client, topic.deadLetterTopic(), Topic.deadLetterType(), ids);
            }
        }
        return ids;
    }

    /**
     * For a process that runs one part beside {@code sidstream up} with a {@code mock://} registry: a mock registry
     * lives inside one JVM and numbers schemas in the order they are registered, so a second process's ids would not
     * be up's (its records would reach up's consumers as INCOMPATIBLE_SCHEMA dead letters). Registering the whole
     * catalog first, in catalog order as up does, gives every contract up's id. It holds between processes of the same
     * build only: across versions, or in production, share a real registry ({@code registry.url=http://...}).
     */
    public static void alignMockIds(RegistryConfig config) {
        if (config.isMock()) {
            registerAll(config);
            LOG.warn(
                    "registry.url is {}: a mock registry lives inside this process; its schema ids were aligned with "
                            + "those 'sidstream up' of the same build gives (the catalog registered in order). Between other "
                            + "processes share a real registry (registry.url=http(s)://...)",
                    config.url());
        }
    }

    private static <T extends SpecificRecord> void register(
            SchemaRegistryClient client, String topic, Class<T> type, Map<String, Integer> ids) {
        String subject = WireFormat.subject(topic, false);
        ids.put(subject, new AvroWireSerializer<>(client, type, true).schemaId(subject));
    }
}
