package io.sidstream.model.block;

/**
 * The hashed cross features of the wide part: (one of the user's most recent videos, how recent it is) crossed with a
 * node of the SID trie (the step, the codes decoded so far and the candidate code). Each feature has one learned
 * weight, added to the candidate code's logit: the model memorises "after video A, the next video's SID continues
 * this way" as a co-occurrence table would, and the transformer (the deep part) generalises where the table has seen
 * nothing, such as a fresh upload (whose nodes have no weights yet). Wide & Deep (Cheng et al., 2016) over SID
 * nodes instead of item ids.
 *
 * <p>The hash is defined here once (64-bit FNV-1a over the video id's UTF-16 units, mixed with recency, step and
 * codes by a murmur finaliser), so training, the engine's decoding and the plain-Java decoding find the same weights.
 */
public final class WideFeatures {

    /**
     * The features start at this step: below the first code (a content cluster, which the transformer predicts well),
     * where a node's children are few and mostly single videos. Crossing every first-level code with every recent
     * video made a gather as large as the rest of the batch.
     */
    public static final int FROM_STEP = 1;

    private WideFeatures() {}

    /** The key of a history video at recency {@code m} (0 = the most recent). */
    public static long itemKey(int m, String videoId) {
        long h = 0xcbf29ce484222325L ^ (m + 1) * 0x9e3779b97f4a7c15L;
        for (int i = 0; i < videoId.length(); i++) {
            h = (h ^ videoId.charAt(i)) * 0x100000001b3L;
        }
        return mix(h);
    }

    /** The key of the trie node reached by {@code codes[0 .. step)} under {@code itemKey}. */
    public static long nodeKey(long itemKey, int step, int[] codes) {
        return nodeKey(itemKey, step, codes, 0);
    }

    /** The same for codes stored from {@code offset} on. */
    public static long nodeKey(long itemKey, int step, int[] codes, int offset) {
        long h = mix(itemKey ^ (step + 1) * 0xc2b2ae3d27d4eb4fL);
        for (int s = 0; s < step; s++) {
            h = mix(h ^ (codes[offset + s] + 1) * 0x165667b19e3779f9L);
        }
        return h;
    }

    /** The weight row of candidate {@code code} below the node {@code nodeKey}. */
    public static int bucket(long nodeKey, int code, int buckets) {
        return (int) Math.floorMod(mix(nodeKey + (code + 1) * 0x27d4eb2f165667c5L), (long) buckets);
    }

    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
