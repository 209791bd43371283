package io.sidstream.core.topic;

import io.sidstream.schemas.serde.AvroWireSerializer;
import io.sidstream.schemas.serde.SchemaRegistryClients;
import io.sidstream.schemas.serde.RegistryConfig;
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

    private TopicSchemas() {
    }

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

    private static <T extends SpecificRecord> void register(SchemaRegistryClient client, String topic, Class<T> type,
                                                            Map<String, Integer> ids) {
        String subject = WireFormat.subject(topic, false);
        ids.put(subject, new AvroWireSerializer<>(client, type, true).schemaId(subject));
    }
}
