package io.sidstream.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import io.sidstream.schemas.serde.RegistryConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The loaded configuration: typed views of the sections every component shares. A component reads its own section
 * through {@link #section(String)} into its own typed config.
 */
public final class SidstreamConfig {

    /** The value of kafka.bootstrap.servers that asks for an in-JVM broker. */
    public static final String EMBEDDED = "embedded";

    private final Config config;

    SidstreamConfig(Config config) {
        this.config = config;
    }

    /** Reads every shared section once, so a value of the wrong type fails at load time with its key. */
    void validateSharedSections() {
        kafka();
        registry();
        topics();
        embedded();
        loggingFormat();
    }

    public Config section(String path) {
        return config.getConfig(path);
    }

    public Config raw() {
        return config;
    }

    public KafkaClientConfig kafka() {
        return new KafkaClientConfig(flatten(config.getConfig("kafka")));
    }

    /**
     * This configuration, for a command that runs one part against a running cluster: the {@code embedded}
     * placeholder is refused with the same hint everywhere ({@code sidstream up} runs every part on the embedded
     * broker), and a {@code mock://} registry is given up's schema ids ({@link io.sidstream.core.topic.TopicSchemas#alignMockIds}).
     */
    public SidstreamConfig requireCluster(String command) {
        if (embeddedKafka()) {
            throw new IllegalArgumentException(
                    "'" + command + "' runs against a Kafka cluster but kafka.bootstrap.servers "
                            + "is 'embedded': point it at one (--set kafka.bootstrap.servers=host:9092), or use 'sidstream up', "
                            + "which runs every part on the embedded broker");
        }
        // against up's broker with the default mock:// registry, this process's schema ids must be up's
        io.sidstream.core.topic.TopicSchemas.alignMockIds(registry());
        return this;
    }

    public boolean embeddedKafka() {
        return EMBEDDED.equals(config.getString("kafka.bootstrap.servers"));
    }

    public RegistryConfig registry() {
        return new RegistryConfig(
                config.getString("registry.url"),
                config.getBoolean("registry.auto-register"),
                flatten(config.getConfig("registry.client")));
    }

    public TopicsConfig topics() {
        Map<String, Integer> partitions = new TreeMap<>();
        Config overrides = config.getConfig("topics.partitions");
        // getInt, not the raw value: --set and environment variables give strings, a file gives numbers
        overrides.entrySet().forEach(e -> partitions.put(unquote(e.getKey()), overrides.getInt(e.getKey())));
        return new TopicsConfig((short) config.getInt("topics.replication-factor"), partitions);
    }

    public EmbeddedConfig embedded() {
        return new EmbeddedConfig(
                Path.of(config.getString("embedded.data-dir")),
                config.getInt("embedded.kafka-port"),
                config.getInt("embedded.controller-port"));
    }

    /** {@code logging.format}: {@code text} or {@code json}. */
    public String loggingFormat() {
        String format = config.getString("logging.format");
        if (!format.equals("text") && !format.equals("json")) {
            throw new com.typesafe.config.ConfigException.BadValue(
                    "logging.format", "must be text or json, got '" + format + "'");
        }
        return format;
    }

    /** A copy whose Kafka clients use the given bootstrap servers: how a started embedded broker is wired in. */
    public SidstreamConfig withBootstrapServers(String bootstrapServers) {
        return new SidstreamConfig(config.withValue(
                "kafka.bootstrap.servers", com.typesafe.config.ConfigValueFactory.fromAnyRef(bootstrapServers)));
    }

    /** Nested HOCON objects flattened back to the dotted keys client libraries expect, values as strings. */
    static Map<String, String> flatten(Config section) {
        Map<String, String> flat = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> e : section.entrySet()) {
            flat.put(unquote(e.getKey()), String.valueOf(e.getValue().unwrapped()));
        }
        return flat;
    }

    private static String unquote(String key) {
        return key.replace("\"", "");
    }

    /** Settings of the embedded services. */
    public record EmbeddedConfig(Path dataDir, int kafkaPort, int controllerPort) {}
}
