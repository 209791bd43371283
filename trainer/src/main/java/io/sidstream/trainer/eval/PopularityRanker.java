package io.sidstream.trainer.eval;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The most interacted-with items of the training data, the same list for everyone minus what they have seen. */
public final class PopularityRanker implements Ranker {

    private final List<String> byCount;

    public PopularityRanker(Collection<List<Interaction>> trainSequences) {
        Map<String, Integer> counts = new HashMap<>();
        trainSequences.forEach(seq -> seq.forEach(i -> counts.merge(i.videoId(), 1, Integer::sum)));
        byCount = new ArrayList<>(counts.keySet());
        byCount.sort((a, b) -> {
            int c = Integer.compare(counts.get(b), counts.get(a));
            return c != 0 ? c : a.compareTo(b);
        });
    }

    @Override
    public String name() {
        return "popularity";
    }

    @Override
    public List<List<String>> rank(List<EvalCase> cases, int k) {
        List<List<String>> out = new ArrayList<>(cases.size());
        for (EvalCase c : cases) {
            out.add(top(seen(c), k, List.of()));
        }
        return out;
    }

    /** Fills {@code start} up to {@code k} with popular items not in {@code exclude}. */
    List<String> top(Set<String> exclude, int k, List<String> start) {
        List<String> out = new ArrayList<>(start);
        Set<String> taken = new HashSet<>(start);
        for (String item : byCount) {
            if (out.size() >= k) {
                break;
            }
            if (!exclude.contains(item) && taken.add(item)) {
                out.add(item);
            }
        }
        return out;
    }

    static Set<String> seen(EvalCase c) {
        Set<String> seen = new HashSet<>();
        c.history().forEach(i -> seen.add(i.videoId()));
        return seen;
    }
}
