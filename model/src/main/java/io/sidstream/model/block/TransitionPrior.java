package io.sidstream.model.block;

import io.sidstream.model.config.ModelConfig;
import io.sidstream.schemas.HistoryItem;
import io.sidstream.schemas.TrainingExample;
import java.util.List;

/**
 * The transition prior: how often each SID node followed each video in the training data, as a prior over the
 * candidates of every decoding step. A pair (video A, then video B {@code d} steps later, {@code d <= transition-window})
 * adds {@code 1/d^distance-decay} to every node on B's SID path under A, in a count table. A node's score for a user
 * is a co-occurrence score summed over the node's videos: the counts under the user's {@code wide-items} recent
 * videos, the {@code m}-th most recent weighted {@code 1/(m+1)^recency-decay} (with window = wide-items and both decays
 * 1 it is the co-occurrence baseline's). Each candidate's logit gets {@code log(leaves + weight x score)}
 * ({@code leaves}: the catalogue's videos below the node). That prior telescopes over the steps: on its own it
 * decodes to {@code P(video) = (1 + weight x score(video)) / (videos + weight x total score)}, the co-occurrence
 * ranking with unseen pairs uniform, so the trie's levels do not dilute a count. Added to the transformer's logits, a
 * node that the history's videos were followed by before rises where the transformer is unsure; where nothing was
 * counted (most of a sparse catalogue, every fresh upload) only the transformer tells the videos apart.
 *
 * <p>Counts are kept exactly per (video, node, code) key ({@link TransitionCounts}), with the model's block, which saves
 * them with its parameters (so checkpoints carry them).
 *
 * <p>The weight is a setting, not learned: the transformer memorises the training rows' own transitions within a few
 * epochs, after which a learned weight falls on training data while held-out data still needs it (measured: learned
 * scales of about 1 where the validation set wanted several). The window and decays are settings too, chosen on the
 * public sets' validation split (trainer README: a longer window with a slower distance decay, and a faster recency
 * decay, ranked better than the baseline's on both sets). In training, each row's own transition is taken out of
 * its score (leave-one-out), so the transformer trains against the prior held-out rows will see.
 */
public final class TransitionPrior {

    private final float weight;
    /** {@code pairWeights[d - 1]}: what a pair {@code d} steps apart adds; as many as the window is long. */
    private final float[] pairWeights;
    /** {@code recencyWeights[m]}: the weight of the counts under the {@code m}-th most recent video. */
    private final float[] recencyWeights;

    private TransitionCounts counts;

    private TransitionPrior(ModelConfig config, TransitionCounts counts) {
        if (!config.transitionPrior()) {
            throw new IllegalArgumentException(
                    "the model has no transition prior (trainer.model.transition-prior off)");
        }
        this.weight = (float) config.transitionWeight();
        this.pairWeights = powers(config.transitionPairWindow(), config.transitionDistanceDecay());
        this.recencyWeights = powers(config.wideItems(), config.transitionRecencyDecay());
        this.counts = counts;
    }

    /** {@code 1/(i+1)^decay} for i = 0 .. n - 1. */
    private static float[] powers(int n, double decay) {
        float[] weights = new float[n];
        for (int i = 0; i < n; i++) {
            weights[i] = (float) Math.pow(i + 1, -decay);
        }
        return weights;
    }

    /** The model's prior (its block's own: counting into it changes the model). */
    public static TransitionPrior of(SidRecModel model) {
        TransitionPrior prior = model.block().transitionPrior();
        if (prior == null) {
            throw new IllegalArgumentException(
                    "the model has no transition prior (trainer.model.transition-prior off)");
        }
        return prior;
    }

    /** An empty prior for {@code config}. */
    public static TransitionPrior empty(ModelConfig config) {
        return new TransitionPrior(config, new TransitionCounts());
    }

    /** Distinct (video, node, code) keys counted. */
    public int keys() {
        return counts.size();
    }

    void write(java.io.DataOutputStream out) throws java.io.IOException {
        counts.write(out);
    }

    void read(java.io.DataInputStream in) throws java.io.IOException {
        counts = TransitionCounts.read(in);
    }

    /**
     * Counts every transition the examples hold (each history item and the target, after the items before it): for a
     * set where each transition is in one example only, such as one example per user's whole sequence.
     */
    public void addEveryTransition(List<TrainingExample> examples) {
        for (TrainingExample example : examples) {
            List<HistoryItem> history = example.getHistory();
            for (int i = 1; i < history.size(); i++) {
                add(history, i, history.get(i).getSid());
            }
            add(history, history.size(), example.getTargetSid());
        }
    }

    /**
     * Counts the transition into each example's target only: for a stream of sliding windows, where every event is the
     * target of one example and sits in the histories of many.
     */
    public void addTargets(List<TrainingExample> examples) {
        for (TrainingExample example : examples) {
            add(example.getHistory(), example.getHistory().size(), example.getTargetSid());
        }
    }

    /** Adds the pairs (history[i - d], the video at i with SID {@code sid}) for d = 1 .. the window. */
    private void add(List<HistoryItem> history, int i, List<Integer> sid) {
        int[] codes = new int[sid.size()];
        for (int s = 0; s < codes.length; s++) {
            codes[s] = sid.get(s);
        }
        for (int m = 0; m < pairWeights.length && i - 1 - m >= 0; m++) {
            long source = sourceKey(history.get(i - 1 - m).getVideoId());
            float weight = pairWeights[m];
            for (int step = 0; step < codes.length; step++) {
                counts.add(key(WideFeatures.nodeKey(source, step, codes, 0), codes[step]), weight);
            }
        }
    }

    /** The key of a source video (recency does not matter to the count, unlike the wide part's keys). */
    public static long sourceKey(String videoId) {
        return WideFeatures.itemKey(0, videoId);
    }

    /** The key of candidate {@code code} below the node {@code nodeKey}. */
    private static long key(long nodeKey, int code) {
        return WideFeatures.mix(nodeKey + (code + 1) * 0x27d4eb2f165667c5L);
    }

    /**
     * The prior of one row's candidates at {@code step} into {@code out[outOffset + k]}: for candidate
     * {@code candidates[k]} (with {@code leaves[k]} videos below it) under the node {@code codes[codesOffset .. +
     * step)}, from the row's recent videos ({@code sources}, most recent first). With {@code targetSlot >= 0}
     * (training), the row's own transition is taken out of the target candidate's score.
     */
    public void features(
            long[] sources,
            int step,
            int[] codes,
            int codesOffset,
            int[] candidates,
            int[] leaves,
            int targetSlot,
            float[] out,
            int outOffset) {
        float own = 0;
        for (int m = 0; m < sources.length && m < pairWeights.length; m++) {
            own += pairWeights[m] * recencyWeights[m]; // the row's own pair at distance m + 1, as score() reads it
        }
        long[] nodes = nodes(sources, step, codes, codesOffset);
        for (int k = 0; k < candidates.length; k++) {
            float score = score(nodes, candidates[k]);
            out[outOffset + k] = logit(leaves[k], k == targetSlot ? score - own : score);
        }
    }

    /**
     * Decoding: adds the prior of each {@code allowed} code (a beam's node's children, {@code leaves[i]} videos below
     * {@code allowed[i]}) to {@code logits[logitsOffset + code]}.
     */
    public void addTo(
            long[] sources, int step, int[] codes, int[] allowed, int[] leaves, float[] logits, int logitsOffset) {
        long[] nodes = nodes(sources, step, codes, 0);
        for (int i = 0; i < allowed.length; i++) {
            logits[logitsOffset + allowed[i]] += logit(leaves[i], score(nodes, allowed[i]));
        }
    }

    private static long[] nodes(long[] sources, int step, int[] codes, int codesOffset) {
        long[] nodes = new long[sources.length];
        for (int m = 0; m < sources.length; m++) {
            nodes[m] = WideFeatures.nodeKey(sources[m], step, codes, codesOffset);
        }
        return nodes;
    }

    /** The co-occurrence score of {@code code} below each recent video's node: recency-weighted counts. */
    private float score(long[] nodes, int code) {
        float score = 0;
        for (int m = 0; m < nodes.length; m++) {
            score += counts.get(key(nodes[m], code)) * recencyWeights[m];
        }
        return score;
    }

    private float logit(int leaves, float score) {
        return (float) Math.log(Math.max(1, leaves) + weight * Math.max(0f, score));
    }

    /** The table's total weight: a pair within the window adds its distance's weight per SID step. */
    public double total() {
        return counts.total();
    }
}
