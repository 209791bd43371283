package io.sidstream.platform.eval;

import io.sidstream.core.sid.Sid;
import io.sidstream.ingest.world.SyntheticWorld;
import io.sidstream.ingest.world.WorldConfig;
import io.sidstream.ingest.world.WorldSnapshot;
import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.VideoUploaded;
import io.sidstream.tokenizer.codebook.CodebookTrainer;
import io.sidstream.tokenizer.codebook.KMeansOptions;
import io.sidstream.tokenizer.codebook.QualityReport;
import io.sidstream.tokenizer.sid.CollisionTokens;
import io.sidstream.tokenizer.sid.ResidualQuantizer;
import io.sidstream.tokenizer.window.PositiveRule;
import io.sidstream.trainer.eval.Interaction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The synthetic world as the trainer's offline evaluation sees it, built in-process the way the streaming jobs would
 * build it (no Kafka): a codebook trained on the uploads' content embeddings, every upload quantized to a SID with a
 * collision token (in upload order, as the sid-assign job hands them out), and the engagements turned into positive
 * interactions by the sequence-windows job's positive rule, duplicates dropped by event id.
 *
 * <p>Each user keeps only their first positive per video: a like after a full watch is the same item again, and a
 * leave-one-out target the user has already seen is filtered out of every ranking, so repeats would only measure
 * that filter.
 *
 * @param interactions        positive interactions (user, video, event time), in emission order
 * @param sids                every embedded video's SID codes, collision token last
 * @param uploadMillis        every embedded video's upload time
 * @param videosWithoutEmbedding uploads that carried no content embedding (the text encoder's job in production):
 *                            left out with their engagements
 * @param engagements         engagements the world emitted (duplicates included)
 * @param duplicates          engagements dropped as repeated event ids
 * @param positives           positives before keeping the first per (user, video)
 * @param quality             the codebook's quality report on the catalogue
 */
public record WorldDataset(
        List<Interaction> interactions,
        Map<String, List<Integer>> sids,
        Map<String, Long> uploadMillis,
        int videosWithoutEmbedding,
        int engagements,
        int duplicates,
        int positives,
        QualityReport quality) {

    /**
     * Generates the world until it has emitted {@code engagements} engagements and builds the dataset.
     *
     * @param kMeans        codebook shape and training (levels x codes, balancing)
     * @param maxCollisions collision tokens the model's vocabulary holds: a prefix shared by more videos is an error
     */
    public static WorldDataset generate(
            WorldConfig world, int engagements, KMeansOptions kMeans, int maxCollisions, PositiveRule rule) {
        WorldSnapshot snapshot = SyntheticWorld.generate(world, engagements);
        List<VideoUploaded> embedded = new ArrayList<>();
        int withoutEmbedding = 0;
        for (VideoUploaded video : snapshot.videos()) {
            if (video.getContentEmbedding() == null
                    || video.getContentEmbedding().isEmpty()) {
                withoutEmbedding++;
            } else {
                embedded.add(video);
            }
        }
        if (embedded.size() < kMeans.codes()) {
            throw new IllegalArgumentException(
                    "the world uploaded " + embedded.size() + " videos with embeddings, fewer" + " than the "
                            + kMeans.codes() + " codes per level of the codebook: generate more or use fewer codes");
        }
        float[][] catalog = new float[embedded.size()][];
        for (int i = 0; i < catalog.length; i++) {
            catalog[i] = toArray(embedded.get(i).getContentEmbedding());
        }
        CodebookTrainer.Trained trained = new CodebookTrainer(kMeans, maxCollisions)
                .train("world-eval", SyntheticWorld.EMBEDDING_MODEL_PREFIX + world.embeddingDimension(), catalog);
        ResidualQuantizer quantizer = trained.codebook().quantizer();
        CollisionTokens tokens = new CollisionTokens();
        Map<String, List<Integer>> sids = new LinkedHashMap<>();
        Map<String, Long> uploads = new HashMap<>();
        for (int i = 0; i < catalog.length; i++) {
            int[] prefix = quantizer.quantize(catalog[i]);
            Sid sid = tokens.assign(prefix);
            List<Integer> codes = sid.codes();
            int collision = codes.get(codes.size() - 1);
            if (collision >= maxCollisions) {
                throw new IllegalStateException("prefix " + Sid.prefixKey(prefix) + " holds more than " + maxCollisions
                        + " videos: the model's collision vocabulary is too small for this codebook and catalogue");
            }
            VideoUploaded video = embedded.get(i);
            sids.put(video.getVideoId(), codes);
            uploads.put(video.getVideoId(), video.getUploadTime().toEpochMilli());
        }

        Set<String> eventIds = new HashSet<>();
        Set<String> userVideos = new HashSet<>();
        List<Interaction> interactions = new ArrayList<>();
        int duplicates = 0;
        int positives = 0;
        for (Engagement e : snapshot.engagements()) {
            if (!eventIds.add(e.getEventId())) {
                duplicates++;
                continue;
            }
            if (!rule.isPositive(e) || !sids.containsKey(e.getVideoId())) {
                continue;
            }
            positives++;
            if (userVideos.add(e.getUserId() + '\u0000' + e.getVideoId())) {
                interactions.add(new Interaction(
                        e.getUserId(), e.getVideoId(), e.getEventTime().toEpochMilli()));
            }
        }
        return new WorldDataset(
                List.copyOf(interactions),
                sids,
                uploads,
                withoutEmbedding,
                snapshot.engagements().size(),
                duplicates,
                positives,
                trained.quality());
    }

    /** Distinct users with at least one positive. */
    public int users() {
        Set<String> users = new HashSet<>();
        interactions.forEach(i -> users.add(i.userId()));
        return users.size();
    }

    private static float[] toArray(List<Float> embedding) {
        float[] out = new float[embedding.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = embedding.get(i);
        }
        return out;
    }
}
