package io.sidstream.platform.embedded;

import com.typesafe.config.Config;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.metrics.MetricsEndpoint;
import io.sidstream.core.service.Parts;
import io.sidstream.core.service.Supervised;
import io.sidstream.core.topic.TopicAdmin;
import io.sidstream.core.topic.TopicSchemas;
import io.sidstream.core.topic.TopicStatus;
import io.sidstream.ingest.gateway.GatewayConfig;
import io.sidstream.ingest.gateway.IngestGateway;
import io.sidstream.ingest.publish.EventPublisher;
import io.sidstream.ingest.publish.PublishConfig;
import io.sidstream.ingest.replay.DatasetFiles;
import io.sidstream.ingest.world.LiveWorldFeed;
import io.sidstream.ingest.world.WorldConfig;
import io.sidstream.kafka.embedded.EmbeddedKafkaBroker;
import io.sidstream.platform.status.StatusSampler;
import io.sidstream.platform.status.StatusServer;
import io.sidstream.publisher.trie.TriePublisher;
import io.sidstream.publisher.trie.TriePublisherConfig;
import io.sidstream.serving.node.ServingService;
import io.sidstream.trainer.service.TrainerService;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
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
    private final Parts parts = new Parts("platform");

    private HTTPServer metrics;
    private StatusServer status;
    private StreamingJobs jobs;
    private ServingService serving;
    private TrainerService trainer;
    private IngestGateway gateway;
    private List<String> bootstrapCodebooks = List.of();
    private final Optional<Replay> replay;
    private final BooleanSupplier stopRequested;

    /** Thrown by a start given up because a stop was requested during it; everything started is closed again. */
    public static final class StartAbandonedException extends RuntimeException {
        StartAbandonedException() {
            super("stopped during start-up");
        }
    }

    /** Between two parts of the start-up: gives up when a stop was requested meanwhile. */
    private void continueUnlessStopping() {
        if (stopRequested.getAsBoolean()) {
            throw new StartAbandonedException();
        }
    }

    private EmbeddedPlatform(
            EmbeddedKafkaBroker broker,
            SidstreamConfig config,
            List<TopicStatus> topics,
            Map<String, Integer> schemaIds,
            Optional<Replay> replay,
            BooleanSupplier stopRequested) {
        this.stopRequested = stopRequested;
        this.replay = replay;
        this.broker = broker;
        this.config = config;
        this.topics = topics;
        this.schemaIds = schemaIds;
    }

    /** The pipeline's long-running parts and the one metrics endpoint of the process, in the order data flows. */
    private void startParts() throws Exception {
        Clock clock = Clock.systemUTC();
        Config platform = config.section("platform");
        Config run = platform.getConfig("run");
        metrics = MetricsEndpoint.start(config);
        parts.add(metrics::close);
        TriePublisherConfig trie = TriePublisherConfig.from(config);
        parts.add(new Supervised("trie-publisher", () -> {
                    TriePublisher publisher = new TriePublisher(config, trie, clock);
                    return Supervised.Part.of(publisher, publisher::stop);
                })
                .start());
        WorldConfig world = WorldConfig.from(config.section("ingest"));
        boolean runWorld = run.getBoolean("world") && replay.isEmpty();
        DatasetReplay datasetReplay = replay.map(r -> new DatasetReplay(config, DatasetFiles.of(r.dir()), r.speed()))
                .orElse(null);
        try {
            if (datasetReplay != null) {
                bootstrapCodebooks = CodebookBootstrap.ensure(config, datasetReplay.catalog(), clock, stopRequested);
            } else if (runWorld) {
                bootstrapCodebooks =
                        CodebookBootstrap.ensure(config, CodebookBootstrap.initialCatalog(world), clock, stopRequested);
            }
        } catch (CancellationException e) {
            // the codebooks can take minutes (the text of a large catalogue): a stop does not wait for them
            LOG.info("start-up abandoned: {}", e.getMessage());
            throw new StartAbandonedException();
        }
        continueUnlessStopping();
        if (run.getBoolean("jobs")) {
            jobs = StreamingJobs.start(config);
            parts.add(jobs);
        }
        continueUnlessStopping();
        if (run.getBoolean("serving")) {
            serving = ServingService.start(config, clock);
            parts.add(serving);
        }
        continueUnlessStopping();
        if (run.getBoolean("trainer")) {
            trainer = new TrainerService(config, clock).start();
            parts.add(trainer);
        }
        continueUnlessStopping();
        if (run.getBoolean("gateway") || runWorld || datasetReplay != null) {
            EventPublisher events = new EventPublisher(
                    config.kafka(), config.registry(), PublishConfig.from(config.section("ingest")), "up");
            parts.add(events);
            if (run.getBoolean("gateway")) {
                gateway = new IngestGateway(GatewayConfig.from(config.section("ingest")), events).start();
                parts.add(gateway);
            }
            if (datasetReplay != null) {
                parts.add(datasetReplay.start(events));
            }
            if (runWorld) {
                Path position = Path.of(platform.getString("world-position"));
                parts.add(new Supervised("synthetic-world", () -> {
                            LiveWorldFeed feed = new LiveWorldFeed(world, position, events, clock);
                            return Supervised.Part.of(feed, feed::stop);
                        })
                        .start());
            }
        }
        continueUnlessStopping();
        RecentActivity activity = new RecentActivity(config);
        parts.add(new Supervised("status-reader", () -> Supervised.Part.of(activity, activity::stop)).start());

        Admin statusAdmin = Admin.create(config.kafka().admin());
        parts.add(statusAdmin::close);
        StatusSampler sampler = new StatusSampler(new TopicActivity(statusAdmin), Clock.systemUTC())
                .start(platform.getDuration("status-sample-interval").toMillis());
        parts.add(sampler);
        status = new StatusServer(
                        sampler,
                        new EmbeddedStatusSources(
                                Optional.ofNullable(serving),
                                Optional.ofNullable(trainer),
                                Optional.of(activity),
                                config),
                        clock)
                .start(platform.getString("status-host"), platform.getInt("status-port"));
        parts.add(status);
    }

    public static EmbeddedPlatform start(SidstreamConfig configured) throws InterruptedException {
        return start(configured, Optional.empty());
    }

    /** Starts the platform with a dataset replay instead of the synthetic world as its event source. */
    public static EmbeddedPlatform start(SidstreamConfig configured, Optional<Replay> replay)
            throws InterruptedException {
        return start(configured, replay, () -> false);
    }

    /**
     * As {@link #start(SidstreamConfig, Optional)}, giving up between two parts once {@code stopRequested} says so (a
     * SIGTERM during start-up): what started is closed again and {@link StartAbandonedException} is thrown. The whole
     * configuration is checked first, before the broker or anything else with state starts.
     */
    public static EmbeddedPlatform start(
            SidstreamConfig configured, Optional<Replay> replay, BooleanSupplier stopRequested)
            throws InterruptedException {
        PlatformConfigCheck.validate(configured);
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
            EmbeddedPlatform platform = new EmbeddedPlatform(broker, config, topics, schemaIds, replay, stopRequested);
            try {
                platform.startParts();
            } catch (StartAbandonedException e) {
                platform.close();
                throw e;
            } catch (Exception e) {
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

    /** The serving node, when the platform runs one. */
    public Optional<ServingService> serving() {
        return Optional.ofNullable(serving);
    }

    /** The trainer, when the platform runs it. */
    public Optional<TrainerService> trainer() {
        return Optional.ofNullable(trainer);
    }

    /** The port of the HTTP ingest gateway, when the platform runs it. */
    public Optional<Integer> gatewayPort() {
        return Optional.ofNullable(gateway).map(IngestGateway::port);
    }

    /** The Flink jobs' states, empty when the platform does not run them. */
    public Map<String, String> jobStates() {
        return jobs == null ? Map.of() : jobs.states();
    }

    /** The codebooks this start trained and published for its event source's catalogue (none when they existed). */
    public List<String> bootstrapCodebooks() {
        return bootstrapCodebooks;
    }

    /**
     * A dataset as the event source instead of the synthetic world.
     *
     * @param dir   a dataset directory ({@link DatasetFiles}: MovieLens or the generic format)
     * @param speed event time per wall time (86400: a day per second; 0: as fast as Kafka takes it)
     */
    public record Replay(Path dir, double speed) {}

    @Override
    public void close() {
        parts.close();
        if (broker != null) {
            LOG.info("stopping the embedded broker");
            broker.close();
        }
    }
}
