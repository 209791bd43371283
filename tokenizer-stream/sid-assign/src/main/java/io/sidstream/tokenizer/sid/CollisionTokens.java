package io.sidstream.tokenizer.sid;

import io.sidstream.core.sid.Sid;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The collision rule: videos whose quantized prefixes are equal get tokens 0, 1, 2... in the order they are seen,
 * so every SID is unique. The {@code sid-assign} job keeps the same counter per prefix in keyed state
 * (key {@link Sid#prefixKey()}); the codebook quality report uses this in-memory form over a catalog. Not
 * thread-safe.
 */
public final class CollisionTokens {

    private final Map<String, Integer> seen = new HashMap<>();

    /** The token for the next video with this prefix: how many videos had it before. */
    public int next(int[] prefix) {
        return next(Sid.prefixKey(prefix));
    }

    public int next(String prefixKey) {
        return seen.merge(prefixKey, 1, Integer::sum) - 1;
    }

    /** The full SID of the next video with this prefix. */
    public Sid assign(int[] prefix) {
        return Sid.of(prefix, next(prefix));
    }

    /** Distinct prefixes seen so far. */
    public int distinctPrefixes() {
        return seen.size();
    }

    /** Most videos that share one prefix so far. */
    public int largestGroup() {
        return seen.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    /** Tokens for a whole catalog in order: {@code tokens[i]} is video i's collision token. */
    public static int[] assignAll(List<int[]> prefixes) {
        CollisionTokens tokens = new CollisionTokens();
        int[] out = new int[prefixes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = tokens.next(prefixes.get(i));
        }
        return out;
    }
}
