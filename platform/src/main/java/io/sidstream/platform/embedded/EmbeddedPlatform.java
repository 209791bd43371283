package io.sidstream.platform.embedded;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.topic.TopicAdmin;
import io.sidstream.core.topic.TopicSchemas;
import io.sidstream.core.topic.TopicStatus;
import io.sidstream.kafka.embedded.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's shared services on whatever the configuration names: an in-JVM KRaft broker when
 * {@code kafka.bootstrap.servers = embedded} (its data under {@code embedded.data-dir}, so a restart resumes),
 * the registry (mock:// in the JVM), every catalog topic and every contract's schema.
 */
public final class EmbeddedPlatform implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPlatform.class);

    private final EmbeddedKafkaBroker broker;
    private final SidstreamConfig config;
    private final List<TopicStatus> topics;
    private final Map<String, Integer> schemaIds;

    private EmbeddedPlatform(EmbeddedKafkaBroker broker, SidstreamConfig config, List<TopicStatus> topics,
                             Map<String, Integer> schemaIds) {
        this.broker = broker;
        this.config = config;
        this.topics = topics;
        this.schemaIds = schemaIds;
    }

    public static EmbeddedPlatform start(SidstreamConfig configured) throws InterruptedException {
        EmbeddedKafkaBroker broker = null;
        SidstreamConfig config = configured;
        if (configured.embeddedKafka()) {
            SidstreamConfig.EmbeddedConfig embedded = configured.embedded();
            broker = EmbeddedKafkaBroker.builder()
                    .dataDir(embedded.dataDir().resolve("kafka"))
                    .port(embedded.kafkaPort())
                    .controllerPort(embedded.controllerPort())
                    .build()
                    .start();
            config = configured.withBootstrapServers(broker.bootstrapServers());
        }
        try {
            Map<String, Integer> schemaIds = TopicSchemas.registerAll(config.registry());
            List<TopicStatus> topics;
            try (Admin admin = Admin.create(config.kafka().admin())) {
                topics = new TopicAdmin(admin).ensure(TopicAdmin.desired(config.topics()));
            }
            return new EmbeddedPlatform(broker, config, topics, schemaIds);
        } catch (RuntimeException | InterruptedException e) {
            if (broker != null) {
                broker.close();
            }
            throw e;
        }
    }

    /** The configuration with the started broker's address filled in: what every component is given. */
    public SidstreamConfig config() {
        return config;
    }

    public List<TopicStatus> topics() {
        return topics;
    }

    public Map<String, Integer> schemaIds() {
        return schemaIds;
    }

    public boolean brokerEmbedded() {
        return broker != null;
    }

    public Path brokerDataDir() {
        return broker == null ? null : broker.dataDir();
    }

    @Override
    public void close() {
        if (broker != null) {
            LOG.info("stopping the embedded broker");
            broker.close();
        }
    }
}
