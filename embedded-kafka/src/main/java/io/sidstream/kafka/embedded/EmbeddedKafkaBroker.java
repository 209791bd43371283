package io.sidstream.kafka.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka broker in KRaft combined mode (broker and controller in one), running in this JVM and bound
 * to 127.0.0.1. With a data directory it keeps its log across restarts; without one it uses a temporary directory
 * that is deleted on {@link #close()}. {@link Builder#clusterMember} makes it one node of a multi-node cluster
 * instead (each node in a JVM of its own: the cluster test's three brokers).
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start()) {
 *     String bootstrap = kafka.bootstrapServers();
 * }
 * }</pre>
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final String HOST = "127.0.0.1";

    private final Path logDir;
    private final boolean temporary;
    private final int port;
    private final int controllerPort;
    private final Map<String, String> overrides;
    private final int nodeId;
    private final String clusterId;
    private final String quorumVoters;
    private KafkaRaftServer server;

    private EmbeddedKafkaBroker(Builder builder) {
        try {
            this.temporary = builder.dataDir == null;
            this.logDir = temporary ? Files.createTempDirectory("sidstream-kafka-") : builder.dataDir.toAbsolutePath();
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the broker's data directory", e);
        }
        this.port = builder.port == 0 ? freePort() : builder.port;
        this.controllerPort = builder.controllerPort == 0 ? freePort() : builder.controllerPort;
        this.overrides = Map.copyOf(builder.overrides);
        this.nodeId = builder.nodeId;
        this.clusterId = builder.clusterId;
        this.quorumVoters =
                builder.quorumVoters != null ? builder.quorumVoters : nodeId + "@" + HOST + ":" + controllerPort;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Formats the data directory if it is new, then starts the broker and waits until it serves requests. */
    public synchronized EmbeddedKafkaBroker start() {
        if (server != null) {
            throw new IllegalStateException("broker already started");
        }
        long started = System.nanoTime();
        Map<String, String> props = brokerProperties();
        KafkaConfig config = new KafkaConfig(props, false);
        formatIfNew();
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        LOG.info(
                "Embedded Kafka broker up at {} (data {}) in {} ms",
                bootstrapServers(),
                logDir,
                (System.nanoTime() - started) / 1_000_000);
        return this;
    }

    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    public Path dataDir() {
        return logDir;
    }

    public boolean isRunning() {
        return server != null;
    }

    /** Shuts the broker down cleanly (flushing its log); the data directory stays unless it was temporary. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        server = null;
        LOG.info("Embedded Kafka broker at {} stopped", bootstrapServers());
    }

    @Override
    public void close() {
        stop();
        if (temporary) {
            deleteRecursively(logDir);
        }
    }

    private Map<String, String> brokerProperties() {
        Map<String, String> p = new HashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(nodeId));
        p.put("controller.quorum.voters", quorumVoters);
        p.put("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        // one node: every internal topic has a single replica
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        // a consumer group should not wait 3 s for more members that will never come
        p.put("group.initial.rebalance.delay.ms", "0");
        // topics come from the catalog; a typo must fail, not create a topic
        p.put("auto.create.topics.enable", "false");
        // small footprint on a laptop: the defaults size these for a dedicated server
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("background.threads", "2");
        p.put("log.cleaner.threads", "1");
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        p.put("log.cleaner.backoff.ms", "5000");
        p.putAll(overrides);
        return p;
    }

    private void formatIfNew() {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return; // formatted before: keep its cluster id and data
        }
        try (PrintStream quiet = new PrintStream(OutputStream.nullOutputStream())) {
            new Formatter()
                    .setPrintStream(quiet)
                    .setClusterId(
                            clusterId != null ? clusterId : Uuid.randomUuid().toString())
                    .setNodeId(nodeId)
                    .setDirectories(List.of(logDir.toString()))
                    .setMetadataLogDirectory(logDir.toString())
                    .setControllerListenerName("CONTROLLER")
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format the broker's data directory " + logDir, e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + HOST, e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", dir, e.getMessage());
        }
    }

    /** Options of an embedded broker. */
    public static final class Builder {
        private Path dataDir;
        private int port;
        private int controllerPort;
        private final Map<String, String> overrides = new HashMap<>();
        private int nodeId = 1;
        private String clusterId;
        private String quorumVoters;

        private Builder() {}

        /**
         * Node {@code nodeId} of a cluster whose every node is formatted with {@code clusterId} and lists the same
         * {@code quorumVoters} ({@code id@host:controllerPort,...}); give the replication settings of the internal
         * topics with {@link #brokerProperty}, the defaults here are a single node's.
         */
        public Builder clusterMember(int nodeId, String clusterId, String quorumVoters) {
            this.nodeId = nodeId;
            this.clusterId = clusterId;
            this.quorumVoters = quorumVoters;
            return this;
        }

        /** Keep the log here across restarts; without it a temporary directory is used and deleted on close. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** Client port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** KRaft controller port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder controllerPort(int controllerPort) {
            this.controllerPort = controllerPort;
            return this;
        }

        /** Any broker property, applied over the embedded defaults. */
        public Builder brokerProperty(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        public Builder brokerProperties(Properties properties) {
            properties.forEach((k, v) -> overrides.put(String.valueOf(k), String.valueOf(v)));
            return this;
        }

        public EmbeddedKafkaBroker build() {
            return new EmbeddedKafkaBroker(this);
        }
    }
}
