package io.sidstream.trainer.eval;

import io.sidstream.trainer.data.Examples;
import io.sidstream.trainer.decode.ConstrainedBeamSearch;
import io.sidstream.trainer.decode.Query;
import io.sidstream.trainer.decode.Recommendation;
import io.sidstream.trainer.decode.SidTrie;
import io.sidstream.trainer.model.SidRecModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The SID model as a ranker: constrained beam search over the trie of all items, seen items excluded. */
public final class ModelRanker implements Ranker {

    private final SidRecModel model;
    private final SidTrie trie;
    private final Map<String, List<Integer>> sids;
    private final int beamWidth;
    private final boolean excludeSeen;

    public ModelRanker(SidRecModel model, SidTrie trie, Map<String, List<Integer>> sids, int beamWidth, boolean excludeSeen) {
        this.model = model;
        this.trie = trie;
        this.sids = sids;
        this.beamWidth = beamWidth;
        this.excludeSeen = excludeSeen;
    }

    /** A trie of every video in {@code sids}. */
    public static SidTrie trieOf(Map<String, List<Integer>> sids, int sidLength) {
        SidTrie trie = new SidTrie(sidLength);
        sids.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> trie.add(e.getKey(), e.getValue()));
        return trie;
    }

    @Override
    public String name() {
        return "model";
    }

    @Override
    public List<List<String>> rank(List<EvalCase> cases, int k) {
        List<Query> queries = new ArrayList<>(cases.size());
        for (EvalCase c : cases) {
            queries.add(Examples.query(c.history(), c.target().timeMillis(), sids, excludeSeen));
        }
        List<List<Recommendation>> results = new ConstrainedBeamSearch(model).search(queries, trie, Math.max(beamWidth, k), k);
        List<List<String>> out = new ArrayList<>(results.size());
        for (List<Recommendation> recs : results) {
            out.add(recs.stream().map(Recommendation::videoId).toList());
        }
        return out;
    }
}
