package io.sidstream.ingest.world;

import io.sidstream.schemas.VideoUploaded;
import java.util.List;

/**
 * The content embeddings of the synthetic world's catalog ({@code ingest}'s {@link SyntheticWorld}): the first
 * {@code n} uploads that carry an embedding, in upload order. The world is grown with an initial catalog large enough
 * that they all come from it, before any engagement is simulated.
 */
public final class WorldCatalog {

    private WorldCatalog() {}

    /** The embedding space the world's embeddings live in ({@code sidstream-synthetic-<dim>}). */
    public static String embeddingModel(WorldConfig config) {
        return SyntheticWorld.EMBEDDING_MODEL_PREFIX + config.embeddingDimension();
    }

    public static float[][] embeddings(WorldConfig config, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("a world catalog has at least one video, asked for " + n);
        }
        if (config.noEmbeddingShare() > 0.95) {
            throw new IllegalArgumentException("the world's uploads carry embeddings too rarely (no-embedding-share "
                    + config.noEmbeddingShare() + ") to build a catalog of them");
        }
        int initial =
                Math.max(config.initialVideos(), (int) Math.ceil(n / (1 - config.noEmbeddingShare()) * 1.1) + 1000);
        SyntheticWorld world =
                new SyntheticWorld(config.withSize(config.topics(), config.creators(), config.users(), initial));
        float[][] out = new float[n][];
        int found = 0;
        while (found < n) {
            WorldEvent event = world.next();
            if (!event.isUpload()) {
                continue;
            }
            VideoUploaded upload = event.upload();
            List<Float> embedding = upload.getContentEmbedding();
            if (embedding == null) {
                continue;
            }
            float[] v = new float[embedding.size()];
            for (int d = 0; d < v.length; d++) {
                v[d] = embedding.get(d);
            }
            out[found++] = v;
        }
        return out;
    }
}
