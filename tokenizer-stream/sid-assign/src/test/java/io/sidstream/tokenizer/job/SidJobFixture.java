package io.sidstream.tokenizer.job;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.testing.KafkaTestSupport;
import io.sidstream.core.topic.Topic;
import io.sidstream.flink.job.FlinkJobConfig;
import io.sidstream.flink.job.JobEnvironments;
import io.sidstream.schemas.CodebookPublished;
import io.sidstream.schemas.VideoRemoved;
import io.sidstream.schemas.VideoUploaded;
import io.sidstream.schemas.serde.AvroWireSerializer;
import io.sidstream.tokenizer.catalog.SyntheticCatalog;
import io.sidstream.tokenizer.codebook.CodebookPublisher;
import io.sidstream.tokenizer.codebook.TestCodebooks;
import io.sidstream.tokenizer.embed.TextModel;
import io.sidstream.tokenizer.sid.SidConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** A broker, the job's configuration, and helpers to feed the sid-assign job in tests. */
final class SidJobFixture implements AutoCloseable {

    /** The text encoder's space (the job's default, sid.embedding-model): these uploads claim it with their own vectors. */
    static final String MODEL = TextModel.MINILM_Q.spaceName();

    final KafkaTestSupport kafka = KafkaTestSupport.startWithCatalogTopics();
    final SidstreamConfig config;
    final SyntheticCatalog catalog = new SyntheticCatalog(384, 8, 4, 0.6, 0.35, 11);

    SidJobFixture(Path checkpoints) {
        this(checkpoints, 0);
    }

    /** With Flink's Prometheus reporter on {@code metricsPort} (0: none). */
    SidJobFixture(Path checkpoints, int metricsPort) {
        this.config = kafka.config(Map.of(
                "flink.checkpoint-dir", checkpoints.toString(),
                "flink.checkpoint-interval", "500ms",
                "flink.restart-attempts", "0",
                "flink.metrics-port", Integer.toString(metricsPort),
                "sid.embedding-batch-size", "16"));
    }

    JobClient start(Optional<String> restoreFrom) throws Exception {
        FlinkJobConfig job = FlinkJobConfig.from(config);
        if (restoreFrom.isPresent()) {
            job = job.withRestoreFrom(restoreFrom.get());
        }
        StreamExecutionEnvironment env = JobEnvironments.create(job);
        return SidAssignJob.fromConfig(config).start(env);
    }

    /** A small codebook (3 x 16) trained on the fixture's catalog, for the text model's 384-d space. */
    CodebookPublished codebook(String version, long seed, Instant publishedAt) {
        float[][] train = new SyntheticCatalog(384, 8, 4, 0.6, 0.35, seed).embeddings(800);
        return TestCodebooks.announcement(
                TestCodebooks.kmeans(version, MODEL, train, 3, 16, 5, seed, 256), train, publishedAt);
    }

    void publish(CodebookPublished codebook) {
        new CodebookPublisher(config).publish(codebook);
    }

    VideoUploaded withEmbedding(String id) {
        List<Float> values = new ArrayList<>();
        for (float v : catalog.nextEmbedding()) {
            values.add(v);
        }
        return base(id).setContentEmbedding(values).setEmbeddingModel(MODEL).build();
    }

    VideoUploaded withText(String id) {
        return base(id).setTitle(catalog.nextTitle())
                .setDescription("video " + id)
                .setTags(List.of("test"))
                .build();
    }

    VideoUploaded.Builder base(String id) {
        return VideoUploaded.newBuilder()
                .setVideoId(id)
                .setCreatorId("creator-" + id)
                .setTitle("title " + id)
                .setDurationMs(60_000)
                .setUploadTime(Instant.now());
    }

    void send(List<VideoUploaded> uploads) {
        try (KafkaProducer<String, VideoUploaded> producer = new KafkaProducer<>(
                config.kafka().producer("test-uploads"),
                new StringSerializer(),
                AvroWireSerializer.create(config.registry(), VideoUploaded.class))) {
            for (VideoUploaded upload : uploads) {
                producer.send(new ProducerRecord<>(Topic.VIDEO_UPLOADS.topicName(), upload.getVideoId(), upload));
            }
        }
    }

    void remove(String videoId) {
        try (KafkaProducer<String, VideoRemoved> producer = new KafkaProducer<>(
                config.kafka().producer("test-removals"),
                new StringSerializer(),
                AvroWireSerializer.create(config.registry(), VideoRemoved.class))) {
            producer.send(new ProducerRecord<>(
                    Topic.VIDEO_REMOVALS.topicName(),
                    videoId,
                    VideoRemoved.newBuilder()
                            .setVideoId(videoId)
                            .setRemovedTime(Instant.now())
                            .build()));
        }
    }

    /**
     * Waits until the job has read every upload and removal sent so far and committed a checkpoint over them (its
     * consumer group at the end of both topics): what it made of them is then on the output topics, committed.
     */
    void awaitJobCaughtUp() {
        String group = SidConfig.from(config).groupId();
        kafka.awaitCommittedToEnd(group, Topic.VIDEO_UPLOADS.topicName(), Duration.ofMinutes(1));
        kafka.awaitCommittedToEnd(group, Topic.VIDEO_REMOVALS.topicName(), Duration.ofMinutes(1));
    }

    /** The newest retained checkpoint (a {@code chk-N} directory with its {@code _metadata}) under the checkpoint dir. */
    static String latestCheckpoint(Path checkpoints) {
        try (Stream<Path> files = Files.walk(checkpoints)) {
            return files.filter(p -> p.getFileName().toString().equals("_metadata"))
                    .map(Path::getParent)
                    .filter(p -> p.getFileName().toString().startsWith("chk-"))
                    .max(Comparator.comparingInt(
                            p -> Integer.parseInt(p.getFileName().toString().substring(4))))
                    .map(Path::toString)
                    .orElseThrow(() -> new AssertionError("no retained checkpoint under " + checkpoints));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        kafka.close();
    }
}
