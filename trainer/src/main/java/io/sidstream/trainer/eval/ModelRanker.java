package io.sidstream.trainer.eval;

import io.sidstream.model.block.SidRecModel;
import io.sidstream.model.decode.ConstrainedBeamSearch;
import io.sidstream.model.decode.NoveltyMix;
import io.sidstream.model.decode.Query;
import io.sidstream.model.decode.Recommendation;
import io.sidstream.model.decode.SidTrie;
import io.sidstream.trainer.data.Examples;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The SID model as a ranker: constrained beam search over the trie of all items, or over the mixture of trained and
 * novel items ({@link NoveltyMix}), seen items excluded.
 */
public final class ModelRanker implements Ranker {

    private final SidRecModel model;
    private final SidTrie trie;
    private final NoveltyMix mix;
    private final Map<String, List<Integer>> sids;
    private final int beamWidth;
    private final boolean excludeSeen;

    public ModelRanker(
            SidRecModel model, SidTrie trie, Map<String, List<Integer>> sids, int beamWidth, boolean excludeSeen) {
        this(model, trie, null, sids, beamWidth, excludeSeen);
    }

    public ModelRanker(
            SidRecModel model, NoveltyMix mix, Map<String, List<Integer>> sids, int beamWidth, boolean excludeSeen) {
        this(model, null, mix, sids, beamWidth, excludeSeen);
    }

    private ModelRanker(
            SidRecModel model,
            SidTrie trie,
            NoveltyMix mix,
            Map<String, List<Integer>> sids,
            int beamWidth,
            boolean excludeSeen) {
        this.model = model;
        this.trie = trie;
        this.mix = mix;
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
        ConstrainedBeamSearch search = new ConstrainedBeamSearch(model);
        int beam = Math.max(beamWidth, k);
        List<List<Recommendation>> results =
                mix == null ? search.search(queries, trie, beam, k) : search.search(queries, mix, beam, k);
        List<List<String>> out = new ArrayList<>(results.size());
        for (List<Recommendation> recs : results) {
            out.add(recs.stream().map(Recommendation::videoId).toList());
        }
        return out;
    }
}
