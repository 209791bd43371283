package io.sidstream.trainer.eval;

import io.sidstream.model.block.SidRecModel;
import io.sidstream.model.decode.ConstrainedBeamSearch;
import io.sidstream.model.decode.GreedyDecoder;
import io.sidstream.model.decode.NoveltyMix;
import io.sidstream.model.decode.Query;
import io.sidstream.model.decode.Recommendation;
import io.sidstream.model.decode.SidTrie;
import io.sidstream.schemas.TrainingExample;
import io.sidstream.trainer.data.Examples;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Scores a model on held-out examples: each example's own context and history, its target the answer. */
public final class HoldoutEvaluator {

    private final int beamWidth;

    public HoldoutEvaluator(int beamWidth) {
        this.beamWidth = beamWidth;
    }

    /**
     * @param trie      the live videos decoding may return
     * @param coldVideos videos first seen after the previous cycle: their targets count as cold start
     */
    public HoldoutMetrics evaluate(
            SidRecModel model, List<TrainingExample> holdout, SidTrie trie, Set<String> coldVideos) {
        return evaluate(model, holdout, trie, null, coldVideos);
    }

    /**
     * @param mix the same live videos split into those {@code model} trained on and the novel ones, decoded as their
     *            mixture; null: one constrained search over {@code trie}
     */
    public HoldoutMetrics evaluate(
            SidRecModel model, List<TrainingExample> holdout, SidTrie trie, NoveltyMix mix, Set<String> coldVideos) {
        List<Query> queries = new ArrayList<>(holdout.size());
        holdout.forEach(e -> queries.add(Examples.query(e)));
        ConstrainedBeamSearch search = new ConstrainedBeamSearch(model);
        List<List<Recommendation>> results =
                mix == null ? search.search(queries, trie, beamWidth, 10) : search.search(queries, mix, beamWidth, 10);
        RankingMetrics all = new RankingMetrics();
        RankingMetrics cold = new RankingMetrics();
        RankingMetrics warm = new RankingMetrics();
        for (int i = 0; i < holdout.size(); i++) {
            List<String> ranked =
                    results.get(i).stream().map(Recommendation::videoId).toList();
            String target = holdout.get(i).getTargetVideoId();
            all.add(ranked, target);
            (coldVideos.contains(target) ? cold : warm).add(ranked, target);
        }
        double invalid = new GreedyDecoder(model).invalidShare(queries, trie);
        return new HoldoutMetrics(
                all.cases(),
                all.recallAt5(),
                all.recallAt10(),
                all.ndcgAt5(),
                all.ndcgAt10(),
                invalid,
                cold.cases(),
                cold.recallAt10(),
                warm.recallAt10());
    }
}
