package io.sidstream.platform.embedded;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.topic.TopicAdmin;
import io.sidstream.core.topic.TopicSchemas;
import io.sidstream.core.topic.TopicStatus;
import io.sidstream.kafka.embedded.EmbeddedKafkaBroker;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import com.typesafe.config.Config;
import io.sidstream.core.metrics.MetricsEndpoint;
import io.sidstream.platform.status.StatusSampler;
import io.sidstream.platform.status.StatusServer;
import io.sidstream.core.service.Supervised;
import io.sidstream.publisher.trie.TriePublisher;
import io.sidstream.publisher.trie.TriePublisherConfig;
import io.sidstream.serving.node.ServingNodeConfig;
import io.sidstream.serving.trie.ServingTrie;
import io.sidstream.serving.trie.TrieSubscriber;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
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
    /** Started last, closed first. */
    private final Deque<AutoCloseable> parts = new ArrayDeque<>();
    private final ServingTrie servingTrie = new ServingTrie();
    private HTTPServer metrics;
    private StatusServer status;

    private EmbeddedPlatform(EmbeddedKafkaBroker broker, SidstreamConfig config, List<TopicStatus> topics,
                             Map<String, Integer> schemaIds) {
        this.broker = broker;
        this.config = config;
        this.topics = topics;
        this.schemaIds = schemaIds;
    }

    /** The pipeline's long-running parts and the one metrics endpoint of the process. */
    private void startParts() {
        metrics = MetricsEndpoint.start(config);
        parts.push(metrics::close);
        TriePublisherConfig trie = TriePublisherConfig.from(config);
        parts.push(new Supervised("trie-publisher", () -> {
            TriePublisher publisher = new TriePublisher(config, trie, Clock.systemUTC());
            return Supervised.Part.of(publisher, publisher::stop);
        }).start());
        Config platform = config.section("platform");
        Admin statusAdmin = Admin.create(config.kafka().admin());
        parts.push(statusAdmin::close);
        StatusSampler sampler = new StatusSampler(new TopicActivity(statusAdmin), Clock.systemUTC())
                .start(platform.getDuration("status-sample-interval").toMillis());
        parts.push(sampler);
        status = new StatusServer(sampler, new EmbeddedStatusSources(servingTrie), Clock.systemUTC())
                .start(platform.getString("status-host"), platform.getInt("status-port"));
        parts.push(status);
        String node = ServingNodeConfig.from(config).nodeId();
        parts.push(new Supervised("serving-trie", () -> {
            TrieSubscriber subscriber = new TrieSubscriber(config, servingTrie, node, Clock.systemUTC());
            return Supervised.Part.of(subscriber, subscriber::stop);
        }).start());
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
            EmbeddedPlatform platform = new EmbeddedPlatform(broker, config, topics, schemaIds);
            try {
                platform.startParts();
            } catch (RuntimeException e) {
                platform.close();
                throw new IllegalStateException("cannot start the platform: " + e.getMessage(), e);
            }
            return platform;
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

    /** The port of the one /metrics endpoint. */
    public int metricsPort() {
        return metrics.getPort();
    }

    /** The port of the status page. */
    public int statusPort() {
        return status.port();
    }

    /** The valid SIDs as the embedded serving side sees them. */
    public ServingTrie servingTrie() {
        return servingTrie;
    }

    @Override
    public void close() {
        while (!parts.isEmpty()) {
            try {
                parts.pop().close();
            } catch (Exception e) {
                LOG.warn("error while stopping a part of the platform", e);
            }
        }
        if (broker != null) {
            LOG.info("stopping the embedded broker");
            broker.close();
        }
    }
}
