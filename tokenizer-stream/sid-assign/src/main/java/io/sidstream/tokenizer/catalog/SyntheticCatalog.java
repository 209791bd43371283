package io.sidstream.tokenizer.catalog;

import java.util.Random;

/**
 * A seeded stand-in for the synthetic world's video catalog in {@code ingest} (which this module cannot depend on):
 * content embeddings clustered as topics x sub-topics x the video's own direction on the unit sphere, built the way
 * the world's content model builds them, and titles for the text encoder. Small on purpose; it exists for the codebook
 * quality test, the job tests and the benchmarks.
 */
public final class SyntheticCatalog {

    private static final String[] WORDS = {
        "guitar",
        "lesson",
        "cooking",
        "pasta",
        "travel",
        "japan",
        "football",
        "highlights",
        "review",
        "phone",
        "camera",
        "gaming",
        "speedrun",
        "piano",
        "cover",
        "workout",
        "yoga",
        "news",
        "election",
        "science",
        "space",
        "rocket",
        "cat",
        "dog",
        "funny",
        "tutorial",
        "java",
        "python",
        "makeup",
        "fashion",
        "car",
        "repair",
        "garden",
        "tomato",
        "history",
        "rome",
        "chess",
        "opening",
        "movie",
        "trailer",
        "podcast",
        "interview",
        "drawing",
        "anime",
        "budget",
        "vlog",
        "baking",
        "bread",
        "fishing",
        "climbing"
    };

    private final int dim;
    private final float[][] subTopics;
    private final float videoSpread;
    private final Random random;

    /**
     * @param subTopicSpread how far a sub-topic's centroid lies from its topic's (a unit direction times this, then
     *                       normalised)
     * @param videoSpread    how far a video lies from its sub-topic's centroid, the same way
     */
    public SyntheticCatalog(
            int dim, int topicCount, int subTopicsPerTopic, double subTopicSpread, double videoSpread, long seed) {
        this.dim = dim;
        this.videoSpread = (float) videoSpread;
        this.random = new Random(seed);
        this.subTopics = new float[topicCount * subTopicsPerTopic][];
        for (int t = 0; t < topicCount; t++) {
            float[] topic = gaussianUnit();
            for (int s = 0; s < subTopicsPerTopic; s++) {
                subTopics[t * subTopicsPerTopic + s] = mix(topic, gaussianUnit(), (float) subTopicSpread);
            }
        }
    }

    /**
     * The shape of the synthetic world's content model in {@code ingest} (32 topics x 8 sub-topics, sub-topic spread
     * 0.6, video spread 0.35: cosine about 0.94 to its sub-topic), 384-d like MiniLM.
     */
    public static SyntheticCatalog standard(long seed) {
        return new SyntheticCatalog(384, 32, 8, 0.6, 0.35, seed);
    }

    /** The next video's embedding: near a random sub-topic's centroid. */
    public float[] nextEmbedding() {
        return mix(subTopics[random.nextInt(subTopics.length)], gaussianUnit(), videoSpread);
    }

    public float[][] embeddings(int n) {
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            out[i] = nextEmbedding();
        }
        return out;
    }

    /** A title of a few topic-ish words, for the text path. */
    public String nextTitle() {
        int words = 3 + random.nextInt(6);
        StringBuilder b = new StringBuilder();
        for (int w = 0; w < words; w++) {
            if (w > 0) {
                b.append(' ');
            }
            b.append(WORDS[random.nextInt(WORDS.length)]);
        }
        return b.toString();
    }

    public int dim() {
        return dim;
    }

    private float[] gaussianUnit() {
        float[] v = new float[dim];
        for (int d = 0; d < dim; d++) {
            v[d] = (float) random.nextGaussian();
        }
        return normalise(v);
    }

    private static float[] mix(float[] base, float[] direction, float amount) {
        float[] v = new float[base.length];
        for (int d = 0; d < v.length; d++) {
            v[d] = base[d] + amount * direction[d];
        }
        return normalise(v);
    }

    private static float[] normalise(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        float inv = (float) (1 / Math.sqrt(s));
        for (int d = 0; d < v.length; d++) {
            v[d] *= inv;
        }
        return v;
    }
}
