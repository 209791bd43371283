package io.sidstream.platform.embedded;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.progress.Progress;
import io.sidstream.core.topic.Topic;
import io.sidstream.core.topic.TopicScan;
import io.sidstream.ingest.world.SyntheticWorld;
import io.sidstream.ingest.world.WorldConfig;
import io.sidstream.ingest.world.WorldEvent;
import io.sidstream.schemas.VideoUploaded;
import io.sidstream.tokenizer.codebook.CodebookPublisher;
import io.sidstream.tokenizer.codebook.CodebookStore;
import io.sidstream.tokenizer.codebook.CodebookTrainer;
import io.sidstream.tokenizer.codebook.KMeansOptions;
import io.sidstream.tokenizer.embed.OnnxTextEmbedder;
import io.sidstream.tokenizer.embed.TextEmbedder;
import io.sidstream.tokenizer.embed.VideoText;
import io.sidstream.tokenizer.sid.SidConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure every embedding space of the catalogue an event source starts with, and the text encoder's space, has a
 * codebook before its first upload: without one, sid-assign keeps the space's uploads waiting. For each space the
 * codebooks topic does not hold yet, it trains one by residual k-means over the catalogue's videos of that space
 * (uploads without an embedding are in the text encoder's space, {@code sid.embedding-model}, and are embedded here as
 * sid-assign would embed them; when too few are, the text of every catalogue video is), stores it under
 * {@code sid.codebook-dir} and publishes it. On later starts the compacted topic already
 * holds them and nothing is done. The largest space is published last: the trainer follows the newest codebook.
 *
 * <p>A stop during it (SIGTERM while {@code up} starts) ends the text embedding at its next batch and the training at
 * its next step, with a {@link CancellationException}: a codebook is stored and published whole or not at all, and
 * the next start trains the spaces still without one.
 */
final class CodebookBootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(CodebookBootstrap.class);
    private static final int TEXT_BATCH = 64;

    private CodebookBootstrap() {}

    /** The versions published now, smallest space first; empty when the topic had a codebook for every space. */
    static List<String> ensure(
            SidstreamConfig config, List<VideoUploaded> catalog, Clock clock, BooleanSupplier stopRequested) {
        SidConfig sid = SidConfig.from(config);
        Set<String> published = publishedModels(config);
        Map<String, List<VideoUploaded>> spaces = new LinkedHashMap<>();
        // the text encoder's space always gets one: any upload without an embedding lands in it (the gateway takes
        // text-only uploads), and without a codebook those would wait for a SID forever
        spaces.put(sid.embeddingModel(), new ArrayList<>());
        for (VideoUploaded video : catalog) {
            spaces.computeIfAbsent(
                            hasEmbedding(video) ? video.getEmbeddingModel() : sid.embeddingModel(),
                            s -> new ArrayList<>())
                    .add(video);
        }
        spaces.keySet().removeAll(published);
        List<String> versions = new ArrayList<>();
        spaces.entrySet().stream()
                .sorted(Comparator.comparingInt(e -> e.getValue().size()))
                .forEach(space -> {
                    String model = space.getKey();
                    List<VideoUploaded> videos = space.getValue();
                    boolean textSpace = model.equals(sid.embeddingModel());
                    if (textSpace && videos.size() < sid.codesPerLevel()) {
                        // every video has a title: the space learns from the whole catalogue's text
                        videos = catalog;
                    }
                    if (videos.size() < sid.codesPerLevel()) {
                        LOG.warn(
                                "no codebook for embedding space {}: its {} videos are fewer than the {} codes per level; its "
                                        + "uploads wait for one (counted in sidstream_sid_uploads_awaiting_codebook_total) until it is "
                                        + "published (sidstream codebook train|publish)",
                                model,
                                videos.size(),
                                sid.codesPerLevel());
                        return;
                    }
                    versions.add(trainAndPublish(
                            config,
                            sid,
                            model,
                            vectors(sid, model, videos, textSpace, stopRequested),
                            clock,
                            stopRequested));
                });
        return versions;
    }

    /** The videos the world uploads before its first engagement. */
    static List<VideoUploaded> initialCatalog(WorldConfig world) {
        SyntheticWorld generator = new SyntheticWorld(world);
        List<VideoUploaded> catalog = new ArrayList<>();
        while (catalog.size() < world.initialVideos()) {
            WorldEvent event = generator.next();
            if (event.isUpload()) {
                catalog.add(event.upload());
            }
        }
        return catalog;
    }

    /** The videos' own embeddings, or their text embedded as sid-assign would for the text space. */
    private static float[][] vectors(
            SidConfig sid, String space, List<VideoUploaded> videos, boolean embedText, BooleanSupplier stopRequested) {
        float[][] vectors = new float[videos.size()][];
        if (!embedText) {
            for (int i = 0; i < vectors.length; i++) {
                List<Float> embedding = videos.get(i).getContentEmbedding();
                vectors[i] = new float[embedding.size()];
                for (int d = 0; d < vectors[i].length; d++) {
                    vectors[i][d] = embedding.get(d);
                }
            }
            return vectors;
        }
        long started = System.nanoTime();
        try (TextEmbedder embedder = OnnxTextEmbedder.open(sid.textModel())) {
            for (int from = 0; from < videos.size(); from += TEXT_BATCH) {
                stopIfRequested(stopRequested, space);
                List<VideoUploaded> batch = videos.subList(from, Math.min(videos.size(), from + TEXT_BATCH));
                List<float[]> embedded =
                        embedder.embed(batch.stream().map(VideoText::of).toList());
                for (int i = 0; i < embedded.size(); i++) {
                    vectors[from + i] = embedded.get(i);
                }
            }
        }
        LOG.info(
                "embedded the text of {} videos for codebook {} in {} s",
                videos.size(),
                space,
                String.format("%.1f", (System.nanoTime() - started) / 1e9));
        return vectors;
    }

    private static String trainAndPublish(
            SidstreamConfig config,
            SidConfig sid,
            String model,
            float[][] vectors,
            Clock clock,
            BooleanSupplier stopRequested) {
        String version = model + "-" + clock.instant().getEpochSecond();
        long started = System.nanoTime();
        CodebookTrainer.Trained trained = new CodebookTrainer(KMeansOptions.from(sid), sid.maxCollisionTokens())
                .train(version, model, vectors, Progress.silent(), stopRequested);
        // the last chance to stop: from here the codebook is stored and published whole (well under a second)
        stopIfRequested(stopRequested, model);
        CodebookStore.Stored stored = new CodebookStore(sid.codebookDir()).save(trained.codebook(), trained.quality());
        try {
            byte[] artifact = Files.readAllBytes(stored.file());
            new CodebookPublisher(config)
                    .publish(CodebookPublisher.announcement(
                            trained.codebook(),
                            artifact,
                            stored.file().toAbsolutePath().toUri().toString(),
                            trained.quality(),
                            clock.instant()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the codebook just stored at " + stored.file(), e);
        }
        LOG.info(
                "trained and published codebook {} over {} videos in {} s",
                version,
                vectors.length,
                String.format("%.1f", (System.nanoTime() - started) / 1e9));
        return version;
    }

    private static void stopIfRequested(BooleanSupplier stopRequested, String space) {
        if (stopRequested.getAsBoolean()) {
            throw new CancellationException(
                    "stopped before the codebook of " + space + " was stored: nothing stored " + "or published");
        }
    }

    private static boolean hasEmbedding(VideoUploaded video) {
        return video.getContentEmbedding() != null
                && !video.getContentEmbedding().isEmpty();
    }

    /** The embedding models the codebooks topic holds a codebook for (its keys). */
    private static Set<String> publishedModels(SidstreamConfig config) {
        Set<String> models = new HashSet<>();
        TopicScan.all(config, Topic.CODEBOOKS.topicName(), record -> {
            if (record.value() != null) {
                models.add(record.key());
            }
        });
        return models;
    }
}
