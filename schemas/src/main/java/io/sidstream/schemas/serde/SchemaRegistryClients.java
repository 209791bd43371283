package io.sidstream.schemas.serde;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.avro.AvroSchemaProvider;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.SchemaRegistryClient;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.SchemaRegistryClientFactory;

/** Creates Confluent registry clients: the cached HTTP client for http(s) URLs, the mock registry for mock://. */
public final class SchemaRegistryClients {

    /** Distinct schemas one client keeps ids for; far above the number of contracts. */
    private static final int IDENTITY_MAP_CAPACITY = 1000;

    private SchemaRegistryClients() {}

    public static SchemaRegistryClient create(RegistryConfig config) {
        List<String> urls =
                Arrays.stream(config.url().split(",")).map(String::trim).toList();
        return SchemaRegistryClientFactory.newClient(
                urls,
                IDENTITY_MAP_CAPACITY,
                List.of(new AvroSchemaProvider()),
                Map.copyOf(config.clientProperties()),
                Map.of());
    }
}
