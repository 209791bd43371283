package io.sidstream.model.checkpoint;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.metrics.FreshnessLag;
import io.sidstream.core.topic.Topic;
import io.sidstream.schemas.CheckpointPublished;
import io.sidstream.schemas.serde.AvroWireSerializer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces a published checkpoint version on the compacted {@code checkpoints} topic, keyed by model name, and
 * returns only once the broker has it (acks=all): a version the trainer calls announced is announced. The
 * announcement carries the sha256 of the version's manifest, so a subscriber trusts the manifest and through it
 * every file.
 */
public final class CheckpointAnnouncer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointAnnouncer.class);
    private static final String MANIFEST = CheckpointLayout.MANIFEST;
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(60);

    private final String modelName;
    private final Clock clock;
    private final KafkaProducer<String, CheckpointPublished> producer;

    /** What the trainer knows about a version it wants announced. */
    public record Version(
            String name,
            Path directory,
            String codebookVersion,
            Map<String, Double> metrics,
            Instant dataWatermark,
            Map<Integer, Long> offsets,
            String parentName) {}

    public CheckpointAnnouncer(SidstreamConfig config, String modelName, Clock clock) {
        if (modelName == null || modelName.isBlank()) {
            throw new IllegalArgumentException("publisher.checkpoint.model-name must not be empty");
        }
        this.modelName = modelName;
        this.clock = clock;
        this.producer = new KafkaProducer<>(
                config.kafka().producer("checkpoint-announcer-" + modelName),
                new StringSerializer(),
                AvroWireSerializer.create(config.registry(), CheckpointPublished.class));
    }

    public static CheckpointAnnouncer from(SidstreamConfig config, Clock clock) {
        return new CheckpointAnnouncer(
                config, config.section("publisher.checkpoint").getString("model-name"), clock);
    }

    public String modelName() {
        return modelName;
    }

    /** Sends the announcement and waits for the broker's acknowledgement; throws when it was not written. */
    public CheckpointPublished announce(Version version) {
        Path manifest = version.directory().resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            throw new IllegalArgumentException("checkpoint " + version.directory() + " has no " + MANIFEST);
        }
        Map<String, Long> offsets = new LinkedHashMap<>();
        version.offsets().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> offsets.put(Topic.TRAINING_EXAMPLES.topicName() + "-" + e.getKey(), e.getValue()));
        Instant now = clock.instant();
        CheckpointPublished announcement = CheckpointPublished.newBuilder()
                .setModelName(modelName)
                .setVersion(CheckpointLayout.versionNumber(version.name()))
                .setUri(version.directory().toAbsolutePath().normalize().toUri().toString())
                .setManifestSha256(CheckpointLayout.sha256(manifest))
                .setCodebookVersion(version.codebookVersion())
                .setMetrics(Map.copyOf(version.metrics()))
                .setDataWatermark(version.dataWatermark())
                .setSourceOffsets(offsets)
                .setParentVersion(
                        version.parentName() == null ? null : CheckpointLayout.versionNumber(version.parentName()))
                .setPublishedTime(now)
                .build();
        try {
            producer.send(new ProducerRecord<>(Topic.CHECKPOINTS.topicName(), modelName, announcement))
                    .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while announcing checkpoint " + version.name(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "checkpoint " + version.name() + " of " + modelName + " could not be announced: " + e.getMessage(),
                    e);
        }
        // the newest examples in this version were in training data at the watermark and are in a checkpoint now
        FreshnessLag.record(FreshnessLag.Stage.EXAMPLE_TO_CHECKPOINT, Duration.between(version.dataWatermark(), now));
        LOG.info(
                "announced {} version {} ({}), codebook {}",
                modelName,
                announcement.getVersion(),
                announcement.getUri(),
                announcement.getCodebookVersion());
        return announcement;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
