package io.sidstream.platform.eval;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.progress.Progress;
import io.sidstream.core.sid.Sid;
import io.sidstream.ingest.replay.Dataset;
import io.sidstream.ingest.replay.DatasetFiles;
import io.sidstream.ingest.replay.Item;
import io.sidstream.ingest.replay.MalformedLines;
import io.sidstream.ingest.replay.ReplayConfig;
import io.sidstream.tokenizer.codebook.Codebook;
import io.sidstream.tokenizer.codebook.CodebookMethod;
import io.sidstream.tokenizer.codebook.CodebookTrainer;
import io.sidstream.tokenizer.codebook.KMeansOptions;
import io.sidstream.tokenizer.codebook.QualityReport;
import io.sidstream.tokenizer.codebook.RqVaeOptions;
import io.sidstream.tokenizer.embed.OnnxTextEmbedder;
import io.sidstream.tokenizer.embed.TextEmbedder;
import io.sidstream.tokenizer.embed.VideoText;
import io.sidstream.tokenizer.sid.CollisionTokens;
import io.sidstream.tokenizer.sid.SidConfig;
import io.sidstream.trainer.eval.Interaction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A public dataset turned into what the trainer's offline evaluation reads, the way the platform would turn it: items
 * embedded by the text encoder of {@code sid.embedding-model} (or their supplied embeddings, when every item has one of
 * one model), a codebook trained as {@code codebook train} does ({@code sid.codebook-method}, {@code sid.*}), every item
 * quantized to its prefix and given a collision token in upload order (as sid-assign hands them out), and the
 * interactions as (user, item, time), each user's first interaction with an item kept.
 *
 * @param interactions   (user, item, time), in file order
 * @param sids           every item's SID codes, collision token last
 * @param quality        the codebook's quality report on the catalogue
 * @param embeddingSpace the embedding space the codebook quantizes
 * @param malformed      lines of the dataset that could not be used, as {@code file:line: reason} (the first 100)
 * @param malformedCount how many there were
 * @param repeats        interactions dropped as a user's repeat of an item
 * @param timings        seconds per phase (read, embed, codebook, assign)
 */
public record DatasetSids(
        List<Interaction> interactions,
        Map<String, List<Integer>> sids,
        QualityReport quality,
        String embeddingSpace,
        CodebookMethod method,
        List<String> malformed,
        long malformedCount,
        int repeats,
        Map<String, Double> timings) {

    private static final Logger LOG = LoggerFactory.getLogger(DatasetSids.class);
    private static final int TEXT_BATCH = 64;

    /**
     * Reads {@code dir} (any format {@link DatasetFiles#of} knows) and builds its SIDs.
     *
     * @param embeddingCache where text embeddings are kept between runs (null: not kept), keyed by the encoder and the
     *                       exact texts, so a second run of the same dataset skips the encoder
     * @param maxCollisions  collision tokens the model's vocabulary holds: a prefix shared by more items is an error
     */
    public static DatasetSids build(
            Path dir, SidstreamConfig config, Path embeddingCache, int maxCollisions, Progress progress) {
        return build(dir, config, embeddingCache, maxCollisions, false, progress);
    }

    /**
     * The same; with {@code randomPrefixes}, every item's prefix is drawn at random (seeded by {@code sid.seed}) in
     * the codebook's shape instead of quantized from its content: TIGER's ablation of semantic against random IDs.
     * The codebook is still trained, for its quality report.
     */
    public static DatasetSids build(
            Path dir,
            SidstreamConfig config,
            Path embeddingCache,
            int maxCollisions,
            boolean randomPrefixes,
            Progress progress) {
        Map<String, Double> timings = new LinkedHashMap<>();
        long started = System.nanoTime();
        DatasetFiles files = DatasetFiles.of(dir);
        ReplayConfig replay = ReplayConfig.from(config.section("ingest"));
        MalformedLines malformed = new MalformedLines(replay.maxMalformedLines());
        Dataset dataset = files.read(replay, malformed);
        timings.put("read", seconds(started));
        List<Item> catalog = uploadOrder(dataset);
        if (catalog.isEmpty()) {
            throw new IllegalArgumentException("the dataset at " + dir + " has no interactions");
        }
        SidConfig sid = SidConfig.from(config);
        long phase = System.nanoTime();
        Embedded embedded = embed(catalog, sid, embeddingCache, progress);
        timings.put("embed", seconds(phase));

        phase = System.nanoTime();
        CodebookMethod method = CodebookMethod.parse(config.section("sid").getString("codebook-method"));
        if (catalog.size() < sid.codesPerLevel()) {
            throw new IllegalArgumentException(
                    "the dataset has " + catalog.size() + " items with interactions, fewer than " + "the "
                            + sid.codesPerLevel() + " codes per level of a codebook: set sid.codes-per-level lower");
        }
        CodebookTrainer.Trained trained = CodebookTrainer.of(
                        method, KMeansOptions.from(sid), RqVaeOptions.from(config.section("sid")), maxCollisions)
                .train("eval-" + embedded.space(), embedded.space(), embedded.vectors(), progress);
        timings.put("codebook", seconds(phase));

        phase = System.nanoTime();
        Codebook codebook = trained.codebook();
        CollisionTokens tokens = new CollisionTokens();
        Map<String, List<Integer>> sids = new LinkedHashMap<>();
        java.util.Random random = new java.util.Random(sid.seed());
        for (int i = 0; i < catalog.size(); i++) {
            int[] prefix = randomPrefixes
                    ? random.ints(sid.levels(), 0, sid.codesPerLevel()).toArray()
                    : codebook.prefix(embedded.vectors()[i]);
            List<Integer> codes = tokens.assign(prefix).codes();
            if (codes.get(codes.size() - 1) >= maxCollisions) {
                throw new IllegalStateException("prefix " + Sid.prefixKey(prefix) + " holds more than " + maxCollisions
                        + " items: the model's collision vocabulary (trainer.model.collisions) is too small for this "
                        + "codebook and catalogue");
            }
            sids.put(catalog.get(i).id(), codes);
        }
        timings.put("assign", seconds(phase));

        Set<String> userItems = new HashSet<>();
        List<Interaction> interactions = new ArrayList<>(dataset.interactions().size());
        int repeats = 0;
        for (io.sidstream.ingest.replay.Interaction i : dataset.interactions()) {
            if (userItems.add(i.userId() + '\u0000' + i.itemId())) {
                interactions.add(new Interaction(i.userId(), i.itemId(), i.time()));
            } else {
                repeats++;
            }
        }
        LOG.info(
                "dataset {}: {} interactions ({} repeats dropped), {} items, codebook {}",
                dir,
                interactions.size(),
                repeats,
                sids.size(),
                trained.quality());
        return new DatasetSids(
                List.copyOf(interactions),
                sids,
                trained.quality(),
                embedded.space(),
                method,
                malformed.examples(),
                malformed.count(),
                repeats,
                timings);
    }

    /**
     * The items that have interactions, in upload order: by upload time where the dataset gives one, else by first
     * interaction, ties in file order (collision tokens are handed out in this order, as the job does).
     */
    static List<Item> uploadOrder(Dataset dataset) {
        Map<String, Long> firstSeen = new HashMap<>();
        for (io.sidstream.ingest.replay.Interaction i : dataset.interactions()) {
            firstSeen.merge(i.itemId(), i.time(), Math::min);
        }
        List<Item> items = new ArrayList<>();
        for (Item item : dataset.items().values()) {
            if (firstSeen.containsKey(item.id())) {
                items.add(item);
            }
        }
        items.sort(Comparator.comparingLong(
                item -> item.uploadTime() != null ? item.uploadTime() : firstSeen.get(item.id())));
        return items;
    }

    private record Embedded(String space, float[][] vectors) {}

    /**
     * Supplied embeddings when every item has one of a single model; otherwise every item's text through the
     * platform's encoder (one space for the whole catalogue: a codebook quantizes one space).
     */
    private static Embedded embed(List<Item> catalog, SidConfig sid, Path cache, Progress progress) {
        Set<String> models = new HashSet<>();
        boolean allSupplied = true;
        for (Item item : catalog) {
            if (item.embedding() == null) {
                allSupplied = false;
            } else {
                models.add(item.embeddingModel());
            }
        }
        if (allSupplied && models.size() == 1) {
            float[][] vectors = new float[catalog.size()][];
            for (int i = 0; i < vectors.length; i++) {
                List<Float> values = catalog.get(i).embedding();
                vectors[i] = new float[values.size()];
                for (int d = 0; d < vectors[i].length; d++) {
                    vectors[i][d] = values.get(d);
                }
                if (vectors[i].length != vectors[0].length) {
                    throw new IllegalArgumentException("item " + catalog.get(i).id() + " ("
                            + catalog.get(i).source() + ") has an embedding of " + vectors[i].length
                            + " values, others of " + vectors[0].length);
                }
            }
            return new Embedded(models.iterator().next(), vectors);
        }
        List<String> texts = new ArrayList<>(catalog.size());
        for (Item item : catalog) {
            String text = VideoText.of(item.title(), item.description(), item.tags());
            if (text.isBlank()) {
                throw new IllegalArgumentException("item " + item.id() + " (" + item.source() + ") has no text to embed"
                        + (allSupplied ? "" : " and no embedding") + "; the catalogue mixes embedding models "
                        + models + " or lacks embeddings, so every item is embedded from its text");
            }
            texts.add(text);
        }
        String space = sid.textModel().spaceName();
        EmbeddingCache store = cache == null ? null : new EmbeddingCache(cache, space, texts);
        float[][] cached = store == null ? null : store.read();
        if (cached != null) {
            LOG.info("text embeddings of {} items read from {}", texts.size(), store.file());
            return new Embedded(space, cached);
        }
        float[][] vectors = new float[texts.size()][];
        long started = System.nanoTime();
        try (TextEmbedder embedder = OnnxTextEmbedder.open(sid.textModel());
                Progress.Task bar = progress.start("embed", texts.size(), "items")) {
            for (int from = 0; from < texts.size(); from += TEXT_BATCH) {
                List<float[]> batch = embedder.embed(texts.subList(from, Math.min(texts.size(), from + TEXT_BATCH)));
                for (int i = 0; i < batch.size(); i++) {
                    vectors[from + i] = batch.get(i);
                }
                bar.stepBy(batch.size());
            }
        }
        LOG.info(
                "embedded {} item texts with {} in {}",
                texts.size(),
                space,
                Duration.ofNanos(System.nanoTime() - started));
        if (store != null) {
            store.write(vectors);
        }
        return new Embedded(space, vectors);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
