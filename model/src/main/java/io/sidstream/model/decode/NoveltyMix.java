package io.sidstream.model.decode;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The live videos split by whether the model has trained on them, and the share of requests whose next video is one
 * it has not ({@code novelShare}): what constrained decoding needs to recommend fresh uploads.
 *
 * <p>Why: the model is fitted by maximum likelihood on targets that, by construction, never include a video it has
 * not seen, so its softmax gives every such video almost no mass however well its content matches; no output layer
 * can learn a class that was never a target. The novel share is the prior of that missing class. Decoding treats the
 * two groups as a mixture, {@code P(v) = (1 - s) P(v | trained) + s P(v | novel)}, each part the model's own
 * distribution renormalised over the group's trie: a prior-shift correction that keeps the model's ranking inside
 * each group (a fresh upload is reached through the SID prefix it shares with similar videos) and only restores the
 * mass between them.
 *
 * @param trained    live videos the model was trained on
 * @param novel      live videos it was not trained on (disjoint from {@code trained})
 * @param novelShare estimated probability that the next video is novel, in [0, 1]
 */
public record NoveltyMix(SidTrie trained, SidTrie novel, double novelShare) {

    public NoveltyMix {
        if (!(novelShare >= 0 && novelShare <= 1)) {
            throw new IllegalArgumentException("novel share must be in [0, 1], got " + novelShare);
        }
        if (trained.sidLength() != novel.sidLength()) {
            throw new IllegalArgumentException(
                    "the tries hold SIDs of " + trained.sidLength() + " and " + novel.sidLength() + " codes");
        }
    }

    /** The mix over the live videos in {@code sids}, split by {@code trained}. */
    public static NoveltyMix split(
            Map<String, List<Integer>> sids, Predicate<String> trained, double novelShare, int sidLength) {
        SidTrie trainedTrie = new SidTrie(sidLength);
        SidTrie novelTrie = new SidTrie(sidLength);
        sids.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> (trained.test(e.getKey()) ? trainedTrie : novelTrie).add(e.getKey(), e.getValue()));
        return new NoveltyMix(trainedTrie, novelTrie, novelShare);
    }

    /**
     * The novel share as last observed: of {@code targets} (the videos of the most recent period, one per
     * engagement), the share that {@code knownBefore} (what was known when the period began) does not hold. 0 without
     * targets.
     */
    public static double observedShare(Collection<String> targets, Predicate<String> knownBefore) {
        if (targets.isEmpty()) {
            return 0;
        }
        return (double) targets.stream().filter(knownBefore.negate()).count() / targets.size();
    }
}
