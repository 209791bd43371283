package io.sidstream.bench.ingest;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.topic.TopicAdmin;
import io.sidstream.kafka.embedded.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;

/**
 * The cluster a benchmark runs against: its own embedded broker in a temporary directory when
 * {@code kafka.bootstrap.servers} is {@code embedded}, otherwise the configured one. Catalog topics are ensured.
 */
final class BenchKafka implements AutoCloseable {

    private final EmbeddedKafkaBroker broker;
    private final SidstreamConfig config;

    BenchKafka(SidstreamConfig configured) throws InterruptedException {
        if (configured.embeddedKafka()) {
            broker = EmbeddedKafkaBroker.builder()
                    .port(0)
                    .controllerPort(0)
                    .build()
                    .start();
            config = configured.withBootstrapServers(broker.bootstrapServers());
        } else {
            broker = null;
            config = configured;
        }
        try (Admin admin = Admin.create(config.kafka().admin())) {
            new TopicAdmin(admin).ensure(TopicAdmin.desired(config.topics()));
        }
    }

    SidstreamConfig config() {
        return config;
    }

    @Override
    public void close() {
        if (broker != null) {
            broker.close();
        }
    }
}
