package io.sidstream.trainer.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model's figures on a holdout: ranking metrics with constrained decoding, the share of invalid SIDs without
 * constraints, and Recall@10 on the targets first seen after the previous cycle (cold start) and on the rest.
 */
public record HoldoutMetrics(
        long cases,
        double recallAt5,
        double recallAt10,
        double ndcgAt5,
        double ndcgAt10,
        double invalidShareUnconstrained,
        long coldCases,
        double coldRecallAt10,
        double warmRecallAt10) {

    public Map<String, Double> asMap(String prefix) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(prefix + "cases", (double) cases);
        m.put(prefix + "recall_at_5", recallAt5);
        m.put(prefix + "recall_at_10", recallAt10);
        m.put(prefix + "ndcg_at_5", ndcgAt5);
        m.put(prefix + "ndcg_at_10", ndcgAt10);
        m.put(prefix + "invalid_sid_share", invalidShareUnconstrained);
        m.put(prefix + "cold_cases", (double) coldCases);
        m.put(prefix + "cold_recall_at_10", coldRecallAt10);
        m.put(prefix + "warm_recall_at_10", warmRecallAt10);
        return m;
    }
}
