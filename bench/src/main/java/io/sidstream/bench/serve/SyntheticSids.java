package io.sidstream.bench.serve;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * SIDs in the shape the sid-assign job hands out, drawn straight from a seeded RNG (the fastest honest way to a trie
 * of millions: the quantizer would give the same shape at ~45k/s): {@code levels} codes below {@code codesPerLevel},
 * then a collision token that counts the earlier videos with the same prefix, as the job's collision counter does.
 * Prefixes are uniform, so this is the flattest trie of that size; a real catalog's skewed prefixes share more nodes.
 */
final class SyntheticSids {

    private SyntheticSids() {}

    /** {@code count} SIDs, {@code sids[i]} of {@code "video-" + i}; a prefix already at {@code collisions} is redrawn. */
    static int[][] draw(long seed, int count, int levels, int codesPerLevel, int collisions) {
        Random random = new Random(seed);
        Map<Long, Integer> taken = new HashMap<>();
        int[][] sids = new int[count][];
        for (int i = 0; i < count; i++) {
            while (sids[i] == null) {
                int[] sid = new int[levels + 1];
                long prefix = 0;
                for (int level = 0; level < levels; level++) {
                    sid[level] = random.nextInt(codesPerLevel);
                    prefix = prefix * codesPerLevel + sid[level];
                }
                int token = taken.merge(prefix, 1, Integer::sum) - 1;
                if (token < collisions) {
                    sid[levels] = token;
                    sids[i] = sid;
                }
            }
        }
        return sids;
    }

    static String videoId(int i) {
        return "video-" + i;
    }

    static List<Integer> codes(int[] sid) {
        return java.util.Arrays.stream(sid).boxed().toList();
    }
}
