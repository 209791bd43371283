package io.sidstream.trainer.eval;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Item-to-item co-occurrence: how often item b followed item a within a few steps in the training sequences (closer
 * steps weigh more). A case is scored from its last few items, most recent first; popularity fills what is left.
 */
public final class CooccurrenceRanker implements Ranker {

    private static final int WINDOW = 3;
    private static final int RECENT_ITEMS = 3;

    private final Map<String, Map<String, Double>> following = new HashMap<>();
    private final PopularityRanker fallback;

    public CooccurrenceRanker(Collection<List<Interaction>> trainSequences) {
        for (List<Interaction> sequence : trainSequences) {
            for (int i = 0; i < sequence.size(); i++) {
                for (int j = i + 1; j < sequence.size() && j - i <= WINDOW; j++) {
                    following
                            .computeIfAbsent(sequence.get(i).videoId(), a -> new HashMap<>())
                            .merge(sequence.get(j).videoId(), 1.0 / (j - i), Double::sum);
                }
            }
        }
        fallback = new PopularityRanker(trainSequences);
    }

    @Override
    public String name() {
        return "cooccurrence";
    }

    @Override
    public List<List<String>> rank(List<EvalCase> cases, int k) {
        List<List<String>> out = new ArrayList<>(cases.size());
        for (EvalCase c : cases) {
            Set<String> seen = PopularityRanker.seen(c);
            Map<String, Double> scores = new HashMap<>();
            List<Interaction> history = c.history();
            for (int m = 0; m < RECENT_ITEMS && m < history.size(); m++) {
                double weight = 1.0 / (m + 1);
                Map<String, Double> next = following.getOrDefault(
                        history.get(history.size() - 1 - m).videoId(), Map.of());
                next.forEach((item, count) -> {
                    if (!seen.contains(item)) {
                        scores.merge(item, weight * count, Double::sum);
                    }
                });
            }
            List<String> ranked = new ArrayList<>(scores.keySet());
            ranked.sort((a, b) -> {
                int cmp = Double.compare(scores.get(b), scores.get(a));
                return cmp != 0 ? cmp : a.compareTo(b);
            });
            out.add(fallback.top(seen, k, ranked.subList(0, Math.min(k, ranked.size()))));
        }
        return out;
    }
}
