package io.sidstream.model.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import io.sidstream.model.block.BatchEncoder;
import io.sidstream.model.block.SidRecModel;
import io.sidstream.schemas.HistoryItem;
import io.sidstream.schemas.RequestContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of decoding that touches the transformer: each query's history is encoded once into the state of its
 * last position; every decoding step after that only runs the model's small code head on those states.
 */
final class QueryStates {

    private QueryStates() {}

    /** {@code (B, d)} states of the last position, on {@code manager}. */
    static NDArray encode(SidRecModel model, ParameterStore ps, NDManager manager, List<Query> queries) {
        List<RequestContext> contexts = new ArrayList<>(queries.size());
        List<List<HistoryItem>> histories = new ArrayList<>(queries.size());
        for (Query query : queries) {
            contexts.add(query.context());
            histories.add(query.history());
        }
        NDList inputs = new BatchEncoder(model.config())
                .encodeQueries(contexts, histories)
                .toQuery(manager);
        NDArray hidden = model.block().encode(ps, inputs.get(0), inputs.get(1), false);
        return hidden.get(":, -1, :");
    }

    /** Rows of {@code states} picked by index (a gather along the first axis). */
    static NDArray rows(NDManager manager, NDArray states, int[] index) {
        NDArray idx = manager.create(index, new Shape(index.length)).toDevice(states.getDevice(), false);
        return Embedding.embedding(idx, states, SparseFormat.DENSE).singletonOrThrow();
    }

    /** Summed embeddings of each row's decoded codes (as tokens), {@code (rows, d)}; null before the first step. */
    static NDArray prefix(SidRecModel model, ParameterStore ps, NDManager manager, int[][] codes, int steps) {
        if (steps == 0) {
            return null;
        }
        int[] tokens = new int[codes.length * steps];
        for (int r = 0; r < codes.length; r++) {
            for (int s = 0; s < steps; s++) {
                tokens[r * steps + s] = model.layout().sidToken(s, codes[r][s]);
            }
        }
        NDArray ids = manager.create(tokens, new Shape(codes.length, steps)).toDevice(model.device(), false);
        return model.block().embed(ps, ids, false).sum(new int[] {1});
    }

    /**
     * Log-probabilities of step {@code step} for every row (whose decoded codes are {@code codes}), copied to the JVM.
     */
    static float[] logProbs(
            SidRecModel model,
            ParameterStore ps,
            NDManager manager,
            NDArray rowStates,
            NDArray prefix,
            int[][] codes,
            int step) {
        return logProbs(model, ps, manager, rowStates, prefix, codes, null, step);
    }

    /** The same with the wide part's feature rows of every row ({@link #wideRows}), or null without one. */
    static float[] logProbs(
            SidRecModel model,
            ParameterStore ps,
            NDManager manager,
            NDArray rowStates,
            NDArray prefix,
            int[][] codes,
            NDArray wide,
            int step) {
        NDArray firstCodes = null;
        if (step > 0) {
            int[] first = new int[codes.length];
            for (int r = 0; r < codes.length; r++) {
                first[r] = codes[r][0];
            }
            firstCodes = manager.create(first, new Shape(first.length)).toDevice(model.device(), false);
        }
        NDArray logits = model.block().stepLogits(ps, rowStates, prefix, firstCodes, 0, step, false);
        if (wide != null) {
            logits = logits.add(model.block().wideLogits(ps, wide, false));
        }
        return logits.logSoftmax(-1).toFloatArray();
    }

    /**
     * The wide part's feature rows {@code (rows, W, V)} of one step: for each row's allowed codes, the weight row of
     * each recent video of its query ({@code recent[query]}, most recent first); the "no feature" row elsewhere.
     */
    static NDArray wideRows(
            SidRecModel model,
            NDManager manager,
            long[][] recent,
            int[] queryOf,
            int[][] codes,
            int[][] allowed,
            int step) {
        int items = model.config().wideItems();
        int buckets = model.config().wideBuckets();
        int v = model.config().stepVocabulary(step);
        int[] rows = new int[queryOf.length * items * v];
        java.util.Arrays.fill(rows, buckets);
        for (int r = 0; r < queryOf.length && step >= io.sidstream.model.block.WideFeatures.FROM_STEP; r++) {
            long[] keys = recent[queryOf[r]];
            for (int m = 0; m < keys.length; m++) {
                long node = io.sidstream.model.block.WideFeatures.nodeKey(keys[m], step, codes[r]);
                for (int code : allowed[r]) {
                    rows[(r * items + m) * v + code] =
                            io.sidstream.model.block.WideFeatures.bucket(node, code, buckets);
                }
            }
        }
        return manager.create(rows, new Shape(queryOf.length, items, v)).toDevice(model.device(), false);
    }
}
