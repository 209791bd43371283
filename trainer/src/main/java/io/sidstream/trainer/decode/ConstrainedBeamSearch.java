package io.sidstream.trainer.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.sidstream.trainer.model.SidRecModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Beam search over SID codes restricted to the trie of live videos: at every step a beam only extends with codes that
 * continue some valid SID, so every result is a live video. Queries are decoded together in batches; the transformer
 * runs once per query and each step costs one call of the code head for all beams of all queries.
 */
public final class ConstrainedBeamSearch {

    private static final int MAX_QUERIES_PER_CALL = 256;

    private final SidRecModel model;

    public ConstrainedBeamSearch(SidRecModel model) {
        this.model = model;
    }

    /** Top {@code k} live videos per query, best first, from a beam of {@code beamWidth} (>= k). */
    public List<List<Recommendation>> search(List<Query> queries, SidTrie trie, int beamWidth, int k) {
        if (beamWidth < k) {
            throw new IllegalArgumentException("beam width " + beamWidth + " is below k " + k);
        }
        if (trie.sidLength() != model.config().sidLength()) {
            throw new IllegalArgumentException("the trie holds SIDs of " + trie.sidLength() + " codes, the model decodes "
                    + model.config().sidLength());
        }
        List<List<Recommendation>> results = new ArrayList<>(queries.size());
        for (int from = 0; from < queries.size(); from += MAX_QUERIES_PER_CALL) {
            results.addAll(searchChunk(queries.subList(from, Math.min(queries.size(), from + MAX_QUERIES_PER_CALL)), trie,
                    beamWidth, k));
        }
        return results;
    }

    private List<List<Recommendation>> searchChunk(List<Query> queries, SidTrie trie, int beamWidth, int k) {
        int sidLength = model.config().sidLength();
        try (NDManager manager = model.manager().newSubManager()) {
            ParameterStore ps = model.inferenceStore();
            NDArray states = QueryStates.encode(model, ps, manager, queries);
            List<Beam> beams = new ArrayList<>();
            for (int q = 0; q < queries.size(); q++) {
                beams.add(new Beam(q, new int[sidLength], 0, trie.root()));
            }
            for (int step = 0; step < sidLength && !beams.isEmpty(); step++) {
                int rows = beams.size();
                int[] queryOf = new int[rows];
                int[][] codes = new int[rows][];
                for (int r = 0; r < rows; r++) {
                    queryOf[r] = beams.get(r).query;
                    codes[r] = beams.get(r).codes;
                }
                NDArray rowStates = QueryStates.rows(manager, states, queryOf);
                NDArray prefix = QueryStates.prefix(model, ps, manager, codes, step);
                float[] logProbs = QueryStates.logProbs(model, ps, rowStates, prefix, step);
                beams = extend(queries, beams, logProbs, model.config().stepVocabulary(step), step, beamWidth,
                        step == sidLength - 1);
            }
            List<List<Recommendation>> results = new ArrayList<>(queries.size());
            for (int q = 0; q < queries.size(); q++) {
                results.add(new ArrayList<>());
            }
            for (Beam beam : beams) {
                List<Recommendation> forQuery = results.get(beam.query);
                if (forQuery.size() < k) {
                    forQuery.add(new Recommendation(beam.node.videoId(), beam.codes.clone(), beam.score));
                }
            }
            return results;
        }
    }

    /** Each query's best {@code beamWidth} one-code extensions that stay inside the trie; grouped by query, best first. */
    private static List<Beam> extend(List<Query> queries, List<Beam> beams, float[] logProbs, int vocabulary, int step,
                                     int beamWidth, boolean last) {
        List<PriorityQueue<Beam>> best = new ArrayList<>(queries.size());
        for (int q = 0; q < queries.size(); q++) {
            best.add(new PriorityQueue<>(Comparator.comparingDouble(b -> b.score)));
        }
        for (int r = 0; r < beams.size(); r++) {
            Beam beam = beams.get(r);
            PriorityQueue<Beam> heap = best.get(beam.query);
            for (int code : beam.node.codes()) {
                double score = beam.score + logProbs[r * vocabulary + code];
                if (heap.size() == beamWidth && score <= heap.peek().score) {
                    continue;
                }
                SidTrie.Node child = beam.node.child(code);
                if (child == null || (last && (child.videoId() == null
                        || queries.get(beam.query).exclude().contains(child.videoId())))) {
                    continue; // removed concurrently, or a video the caller does not want
                }
                int[] codes = beam.codes.clone();
                codes[step] = code;
                heap.add(new Beam(beam.query, codes, score, child));
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

    private record Beam(int query, int[] codes, double score, SidTrie.Node node) {
    }
}
