package io.sidstream.platform.embedded;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.topic.Topic;
import io.sidstream.ingest.world.SyntheticWorld;
import io.sidstream.ingest.world.WorldConfig;
import io.sidstream.ingest.world.WorldEvent;
import io.sidstream.schemas.VideoUploaded;
import io.sidstream.tokenizer.codebook.CodebookPublisher;
import io.sidstream.tokenizer.codebook.CodebookStore;
import io.sidstream.tokenizer.codebook.CodebookTrainer;
import io.sidstream.tokenizer.codebook.KMeansOptions;
import io.sidstream.tokenizer.sid.SidConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the synthetic world's embedding space has a codebook before its first upload: without one, sid-assign
 * sends every upload to the dead-letter topic. On the first start it trains one by residual k-means over the world's
 * initial catalogue (the videos the world uploads first), stores it under {@code sid.codebook-dir} and publishes it on
 * {@code codebooks}; on later starts the compacted topic already holds it and nothing is done.
 */
final class CodebookBootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(CodebookBootstrap.class);

    private CodebookBootstrap() {
    }

    /** The embedding model name of the world's content embeddings. */
    static String worldModel(WorldConfig world) {
        return SyntheticWorld.EMBEDDING_MODEL_PREFIX + world.embeddingDimension();
    }

    /** Returns the version published now, or null when the topic already had a codebook for the world's space. */
    static String ensure(SidstreamConfig config, WorldConfig world, Clock clock) {
        String model = worldModel(world);
        if (publishedModels(config).contains(model)) {
            return null;
        }
        SidConfig sid = SidConfig.from(config);
        List<VideoUploaded> catalog = initialCatalog(world);
        if (catalog.size() < sid.codesPerLevel()) {
            throw new IllegalArgumentException("the synthetic world starts with " + catalog.size() + " embedded videos, "
                    + "fewer than the " + sid.codesPerLevel() + " codes per level of a codebook: raise "
                    + "ingest.simulate.initial-videos");
        }
        float[][] vectors = new float[catalog.size()][];
        for (int i = 0; i < vectors.length; i++) {
            List<Float> embedding = catalog.get(i).getContentEmbedding();
            vectors[i] = new float[embedding.size()];
            for (int d = 0; d < vectors[i].length; d++) {
                vectors[i][d] = embedding.get(d);
            }
        }
        String version = model + "-" + clock.instant().getEpochSecond();
        long started = System.nanoTime();
        CodebookTrainer.Trained trained = new CodebookTrainer(KMeansOptions.from(sid), sid.maxCollisionTokens())
                .train(version, model, vectors);
        CodebookStore.Stored stored = new CodebookStore(sid.codebookDir()).save(trained.codebook(), trained.quality());
        try {
            byte[] artifact = Files.readAllBytes(stored.file());
            new CodebookPublisher(config).publish(CodebookPublisher.announcement(trained.codebook(), artifact,
                    stored.file().toAbsolutePath().toUri().toString(), trained.quality(), clock.instant()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the codebook just stored at " + stored.file(), e);
        }
        LOG.info("trained and published codebook {} over {} videos of the synthetic world in {} s", version,
                vectors.length, String.format("%.1f", (System.nanoTime() - started) / 1e9));
        return version;
    }

    /** The videos the world uploads before its first engagement, the ones with a content embedding. */
    private static List<VideoUploaded> initialCatalog(WorldConfig world) {
        SyntheticWorld generator = new SyntheticWorld(world);
        List<VideoUploaded> catalog = new java.util.ArrayList<>();
        for (int uploads = 0; uploads < world.initialVideos(); ) {
            WorldEvent event = generator.next();
            if (!event.isUpload()) {
                continue;
            }
            uploads++;
            VideoUploaded video = event.upload();
            if (video.getContentEmbedding() != null && !video.getContentEmbedding().isEmpty()) {
                catalog.add(video);
            }
        }
        return catalog;
    }

    /** The embedding models the codebooks topic holds a codebook for (its keys). */
    private static Set<String> publishedModels(SidstreamConfig config) {
        Set<String> models = new HashSet<>();
        Map<String, Object> props = config.kafka().consumer("sidstream-up-codebook-check");
        props.put("max.partition.fetch.bytes", Topic.LARGE_RECORD_BYTES);
        props.put("fetch.max.bytes", Topic.LARGE_RECORD_BYTES);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topic.CODEBOOKS.topicName(), Duration.ofSeconds(30))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("cannot read the " + Topic.CODEBOOKS.topicName() + " topic to its end");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() != null) {
                        models.add(record.key());
                    }
                }
            }
        }
        return models;
    }
}
