package io.sidstream.model.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.sidstream.model.block.SidRecModel;
import io.sidstream.model.block.TransitionPrior;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * Beam search over SID codes restricted to the trie of live videos: at every step a beam only extends with codes that
 * continue some valid SID, so every result is a live video. Queries are decoded together in batches; the transformer
 * runs once per query and each step costs one call of the code head for all beams of all queries (and, for a
 * {@link NoveltyMix}, of both groups: what a request costs is mostly the number of engine calls, not their size).
 */
public final class ConstrainedBeamSearch {

    private static final int MAX_QUERIES_PER_CALL = 256;

    private final SidRecModel model;
    /** Null: everything through the engine. */
    private final ModelSnapshot snapshot;

    /**
     * Everything runs through the engine on the model's current parameters: for a model that may still train (the
     * trainer's evaluation, the offline table), and for large batches, where the engine's batched calls win.
     */
    public ConstrainedBeamSearch(SidRecModel model) {
        this.model = model;
        this.snapshot = null;
    }

    /**
     * Small calls run in plain Java over {@code snapshot} (taken from {@code model} once it no longer trains, such as
     * a loaded serving checkpoint): the transformer for up to {@link LastStateEncoder#MAX_QUERIES} queries, the code
     * head for steps of up to {@link CodeHead#MAX_ROWS} beam rows ({@link CodeHead#MAX_RENORMALISED_ROWS} over a
     * {@link NoveltyMix}); larger ones through the engine.
     */
    public ConstrainedBeamSearch(SidRecModel model, ModelSnapshot snapshot) {
        this.model = model;
        this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
    }

    /** Top {@code k} live videos per query, best first, from a beam of {@code beamWidth} (>= k). */
    public List<List<Recommendation>> search(List<Query> queries, SidTrie trie, int beamWidth, int k) {
        checkArguments(trie, beamWidth, k);
        List<List<Recommendation>> results = new ArrayList<>(queries.size());
        for (int from = 0; from < queries.size(); from += MAX_QUERIES_PER_CALL) {
            List<Query> chunk = queries.subList(from, Math.min(queries.size(), from + MAX_QUERIES_PER_CALL));
            try (NDManager manager = model.manager().newSubManager()) {
                ParameterStore ps = model.inferenceStore();
                boolean renormalise = model.config().catalogSoftmax(); // the softmax it trained: over the trie's codes
                results.addAll(decode(
                        chunk,
                        scorer(chunk, ps, manager, chunk.size() * beamWidth, renormalise),
                        List.of(trie),
                        beamWidth,
                        k,
                        renormalise));
            }
        }
        return results;
    }

    /**
     * Top {@code k} live videos per query from the mixture of trained and novel videos ({@link NoveltyMix}): each
     * group is decoded with its own beam over its own trie, scores renormalised over the trie's codes at every step,
     * and the two lists are merged by {@code log(share) + score}. The transformer still runs once per query, and
     * both groups' beams share each step's call of the code head.
     */
    public List<List<Recommendation>> search(List<Query> queries, NoveltyMix mix, int beamWidth, int k) {
        checkArguments(mix.trained(), beamWidth, k);
        List<SidTrie> groups = new ArrayList<>(2);
        List<Double> logWeights = new ArrayList<>(2);
        if (mix.novelShare() < 1 && mix.trained().size() > 0) {
            groups.add(mix.trained());
            logWeights.add(Math.log(1 - mix.novelShare()));
        }
        if (mix.novelShare() > 0 && mix.novel().size() > 0) {
            groups.add(mix.novel());
            logWeights.add(Math.log(mix.novelShare()));
        }
        List<List<Recommendation>> results = new ArrayList<>(queries.size());
        for (int from = 0; from < queries.size(); from += MAX_QUERIES_PER_CALL) {
            List<Query> chunk = queries.subList(from, Math.min(queries.size(), from + MAX_QUERIES_PER_CALL));
            if (groups.isEmpty()) {
                chunk.forEach(q -> results.add(List.of()));
                continue;
            }
            try (NDManager manager = model.manager().newSubManager()) {
                ParameterStore ps = model.inferenceStore();
                List<List<Recommendation>> perGroup = decode(
                        chunk,
                        scorer(chunk, ps, manager, chunk.size() * groups.size() * beamWidth, true),
                        groups,
                        beamWidth,
                        k,
                        true);
                for (int q = 0; q < chunk.size(); q++) {
                    List<Recommendation> merged = new ArrayList<>(groups.size() * k);
                    for (int g = 0; g < groups.size(); g++) {
                        double logWeight = logWeights.get(g);
                        perGroup.get(q * groups.size() + g).forEach(r -> merged.add(shifted(r, logWeight)));
                    }
                    merged.sort(
                            Comparator.comparingDouble(Recommendation::score).reversed());
                    results.add(List.copyOf(merged.subList(0, Math.min(k, merged.size()))));
                }
            }
        }
        return results;
    }

    private void checkArguments(SidTrie trie, int beamWidth, int k) {
        if (beamWidth < k) {
            throw new IllegalArgumentException("beam width " + beamWidth + " is below k " + k);
        }
        if (trie.sidLength() != model.config().sidLength()) {
            throw new IllegalArgumentException("the trie holds SIDs of " + trie.sidLength()
                    + " codes, the model decodes " + model.config().sidLength());
        }
    }

    /**
     * Log-probabilities of one step for every beam row, {@code (rows, V)} row-major. With {@code allowed} (the codes
     * each row's trie node allows), renormalised over those codes, and only those entries are defined.
     */
    private interface StepScorer {
        float[] logProbs(int[] queryOf, int[][] codes, int[][] allowed, int step);
    }

    /**
     * Encodes {@code queries} and answers their steps of up to {@code maxRows} rows: in Java where the snapshot is
     * there and the call is small enough, else through the engine.
     */
    private StepScorer scorer(
            List<Query> queries, ParameterStore ps, NDManager manager, int maxRows, boolean renormalise) {
        boolean javaEncoder = snapshot != null && queries.size() <= LastStateEncoder.MAX_QUERIES;
        boolean javaHead =
                snapshot != null && maxRows <= (renormalise ? CodeHead.MAX_RENORMALISED_ROWS : CodeHead.MAX_ROWS);
        RecentKeys recent = RecentKeys.of(model.config(), queries);
        if (javaEncoder && javaHead) {
            float[] states = snapshot.encoder().encode(queries);
            return (queryOf, codes, allowed, step) ->
                    snapshot.head().logProbs(states, queryOf, codes, allowed, step, recent);
        }
        NDArray states = javaEncoder
                ? manager.create(
                        snapshot.encoder().encode(queries),
                        new Shape(queries.size(), model.config().dModel()))
                : QueryStates.encode(model, ps, manager, queries);
        if (javaHead) {
            float[] copied = states.toFloatArray();
            return (queryOf, codes, allowed, step) ->
                    snapshot.head().logProbs(copied, queryOf, codes, allowed, step, recent);
        }
        return (queryOf, codes, allowed, step) -> {
            NDArray rowStates = QueryStates.rows(manager, states, queryOf);
            NDArray prefix = QueryStates.prefix(model, ps, manager, codes, step);
            NDArray wide = recent == null || recent.wide() == null
                    ? null
                    : QueryStates.wideRows(model, manager, recent.wide(), queryOf, codes, allowed, step);
            float[] logProbs = QueryStates.logProbs(model, ps, manager, rowStates, prefix, codes, wide, step);
            if (allowed != null) {
                renormalise(allowed, logProbs, model.config().stepVocabulary(step));
            }
            return logProbs;
        };
    }

    private static Recommendation shifted(Recommendation r, double logWeight) {
        return new Recommendation(r.videoId(), r.sid(), r.score() + logWeight);
    }

    /**
     * Beam search of every query over each of {@code groups} (a beam of its own per query and group, a "slot"
     * {@code query * groups + group}) from the queries' encoded states; the results per slot. {@code renormalise}: each
     * step's log-probabilities are taken over the codes the trie allows from the beam's node, so the scores of the
     * videos in a trie form a distribution of their own.
     */
    private List<List<Recommendation>> decode(
            List<Query> queries, StepScorer scorer, List<SidTrie> groups, int beamWidth, int k, boolean renormalise) {
        int sidLength = model.config().sidLength();
        int slots = queries.size() * groups.size();
        List<Beam> beams = new ArrayList<>();
        for (int slot = 0; slot < slots; slot++) {
            beams.add(new Beam(
                    slot,
                    new int[sidLength],
                    0,
                    groups.get(slot % groups.size()).root()));
        }
        TransitionPrior prior = model.block().transitionPrior();
        long[][] sources =
                prior == null ? null : RecentKeys.of(model.config(), queries).sources();
        List<Map<SidTrie.Node, Integer>> excluded = new ArrayList<>(slots);
        for (int slot = 0; slot < slots; slot++) {
            excluded.add(excludedBelow(queries.get(slot / groups.size()).exclude(), groups.get(slot % groups.size())));
        }
        for (int step = 0; step < sidLength && !beams.isEmpty(); step++) {
            int rows = beams.size();
            int[] queryOf = new int[rows];
            int[][] codes = new int[rows][];
            // read once: the trie changes under the search, and the scores must cover the codes extended
            SidTrie.Children[] children = new SidTrie.Children[rows];
            int[][] allowed = new int[rows][];
            for (int r = 0; r < rows; r++) {
                queryOf[r] = beams.get(r).slot / groups.size();
                codes[r] = beams.get(r).codes;
                children[r] = beams.get(r).node.children();
                allowed[r] = children[r].codes();
            }
            float[] logProbs = scorer.logProbs(queryOf, codes, renormalise ? allowed : null, step);
            int vocabulary = model.config().stepVocabulary(step);
            if (prior != null) {
                // over the head's log-probabilities and renormalised: the same softmax as over its logits
                for (int r = 0; r < rows; r++) {
                    SidTrie.Node[] below = children[r].nodes();
                    int[] leaves = new int[below.length];
                    for (int i = 0; i < below.length; i++) {
                        leaves[i] = below[i] == null ? 1 : below[i].leaves();
                    }
                    prior.addTo(sources[queryOf[r]], step, codes[r], allowed[r], leaves, logProbs, r * vocabulary);
                }
                renormalise(allowed, logProbs, vocabulary);
            }
            beams = extend(
                    queries,
                    groups.size(),
                    slots,
                    beams,
                    children,
                    logProbs,
                    vocabulary,
                    step,
                    beamWidth,
                    step == sidLength - 1,
                    excluded);
        }
        List<List<Recommendation>> results = new ArrayList<>(slots);
        for (int slot = 0; slot < slots; slot++) {
            results.add(new ArrayList<>());
        }
        for (Beam beam : beams) {
            List<Recommendation> forSlot = results.get(beam.slot);
            if (forSlot.size() < k) {
                forSlot.add(new Recommendation(beam.node.videoId(), beam.codes.clone(), beam.score));
            }
        }
        return results;
    }
    /** Subtracts, per row, the log of the probability mass of the codes its trie node allows. */
    private static void renormalise(int[][] allowedPerRow, float[] logProbs, int vocabulary) {
        for (int r = 0; r < allowedPerRow.length; r++) {
            int[] allowed = allowedPerRow[r];
            if (allowed.length == 0) {
                continue;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int code : allowed) {
                max = Math.max(max, logProbs[r * vocabulary + code]);
            }
            double sum = 0;
            for (int code : allowed) {
                sum += Math.exp(logProbs[r * vocabulary + code] - max);
            }
            float logMass = (float) (max + Math.log(sum));
            for (int code : allowed) {
                logProbs[r * vocabulary + code] -= logMass;
            }
        }
    }

    /**
     * How many of the {@code exclude}d videos each node of {@code trie} holds below it (empty when none): a branch
     * that holds nothing else is never extended, so beams are not spent on paths that can only end in excluded videos
     * (a user's own history, which a co-occurrence signal favours).
     */
    private static Map<SidTrie.Node, Integer> excludedBelow(java.util.Set<String> exclude, SidTrie trie) {
        if (exclude.isEmpty()) {
            return Map.of();
        }
        Map<SidTrie.Node, Integer> below = new IdentityHashMap<>();
        for (String videoId : exclude) {
            int[] sid = trie.sidOf(videoId);
            SidTrie.Node node = trie.root();
            for (int s = 0; sid != null && s < sid.length && node != null; s++) {
                node = node.child(sid[s]);
                if (node != null) {
                    below.merge(node, 1, Integer::sum);
                }
            }
        }
        return below;
    }

    /** Each slot's best {@code beamWidth} one-code extensions that stay inside its trie; grouped by slot, best first. */
    private static List<Beam> extend(
            List<Query> queries,
            int groups,
            int slots,
            List<Beam> beams,
            SidTrie.Children[] childrenOf,
            float[] logProbs,
            int vocabulary,
            int step,
            int beamWidth,
            boolean last,
            List<Map<SidTrie.Node, Integer>> excluded) {
        List<PriorityQueue<Beam>> best = new ArrayList<>(slots);
        for (int slot = 0; slot < slots; slot++) {
            best.add(new PriorityQueue<>(Comparator.comparingDouble(b -> b.score)));
        }
        for (int r = 0; r < beams.size(); r++) {
            Beam beam = beams.get(r);
            PriorityQueue<Beam> heap = best.get(beam.slot);
            SidTrie.Children children = childrenOf[r];
            int[] allowed = children.codes();
            for (int i = 0; i < allowed.length; i++) {
                int code = allowed[i];
                double score = beam.score + logProbs[r * vocabulary + code];
                if (heap.size() == beamWidth && score <= heap.peek().score) {
                    continue;
                }
                SidTrie.Node child = children.nodes()[i];
                Integer excludedHere =
                        child == null ? null : excluded.get(beam.slot).get(child);
                if (excludedHere != null && excludedHere >= child.leaves()) {
                    continue; // only excluded videos below
                }
                if (child == null
                        || (last
                                && (child.videoId() == null
                                        || queries.get(beam.slot / groups)
                                                .exclude()
                                                .contains(child.videoId())))) {
                    continue; // removed concurrently, or a video the caller does not want
                }
                int[] codes = beam.codes.clone();
                codes[step] = code;
                heap.add(new Beam(beam.slot, codes, score, child));
                if (heap.size() > beamWidth) {
                    heap.poll();
                }
            }
        }
        List<Beam> next = new ArrayList<>();
        for (PriorityQueue<Beam> heap : best) {
            List<Beam> sorted = new ArrayList<>(heap);
            sorted.sort(Comparator.comparingDouble((Beam b) -> b.score).reversed());
            next.addAll(sorted);
        }
        return next;
    }

    private record Beam(int slot, int[] codes, double score, SidTrie.Node node) {}
}
