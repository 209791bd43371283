package io.sidstream.model.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.sidstream.model.block.SidRecModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Unconstrained greedy decoding: the most likely code at every step, trie or not. Used to measure how often the model
 * on its own would emit a SID that belongs to no live video.
 */
public final class GreedyDecoder {

    private static final int MAX_QUERIES_PER_CALL = 256;

    private final SidRecModel model;

    public GreedyDecoder(SidRecModel model) {
        this.model = model;
    }

    /** The greedy SID of each query. */
    public List<int[]> decode(List<Query> queries) {
        List<int[]> out = new ArrayList<>(queries.size());
        for (int from = 0; from < queries.size(); from += MAX_QUERIES_PER_CALL) {
            out.addAll(decodeChunk(queries.subList(from, Math.min(queries.size(), from + MAX_QUERIES_PER_CALL))));
        }
        return out;
    }

    /** Share of queries whose greedy SID is held by no video in {@code trie}. */
    public double invalidShare(List<Query> queries, SidTrie trie) {
        if (queries.isEmpty()) {
            return 0;
        }
        long invalid = decode(queries).stream()
                .filter(sid -> trie.videoAt(sid) == null)
                .count();
        return invalid / (double) queries.size();
    }

    private List<int[]> decodeChunk(List<Query> queries) {
        int sidLength = model.config().sidLength();
        int rows = queries.size();
        int[][] codes = new int[rows][sidLength];
        try (NDManager manager = model.manager().newSubManager()) {
            ParameterStore ps = model.inferenceStore();
            NDArray states = QueryStates.encode(model, ps, manager, queries);
            for (int step = 0; step < sidLength; step++) {
                NDArray prefix = QueryStates.prefix(model, ps, manager, codes, step);
                float[] logProbs = QueryStates.logProbs(model, ps, manager, states, prefix, codes, step);
                int vocabulary = model.config().stepVocabulary(step);
                for (int r = 0; r < rows; r++) {
                    int bestCode = 0;
                    for (int c = 1; c < vocabulary; c++) {
                        if (logProbs[r * vocabulary + c] > logProbs[r * vocabulary + bestCode]) {
                            bestCode = c;
                        }
                    }
                    codes[r][step] = bestCode;
                }
            }
        }
        List<int[]> out = new ArrayList<>(rows);
        for (int[] sid : codes) {
            out.add(sid);
        }
        return out;
    }
}
