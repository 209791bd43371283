package io.sidstream.trainer.eval;

import java.util.List;

/**
 * Recall@K and NDCG@K of single-target ranking questions: Recall@K is the share of cases whose target is in the top
 * K; NDCG@K credits a hit at rank r (0-based) with 1 / log2(r + 2).
 */
public final class RankingMetrics {

    private long cases;
    private double hits5;
    private double hits10;
    private double ndcg5;
    private double ndcg10;

    public void add(List<String> ranked, String target) {
        cases++;
        int rank = ranked.indexOf(target);
        if (rank >= 0 && rank < 10) {
            double gain = 1.0 / (Math.log(rank + 2) / Math.log(2));
            hits10++;
            ndcg10 += gain;
            if (rank < 5) {
                hits5++;
                ndcg5 += gain;
            }
        }
    }

    /** Pools another set of cases into this one. */
    public void addAll(RankingMetrics other) {
        cases += other.cases;
        hits5 += other.hits5;
        hits10 += other.hits10;
        ndcg5 += other.ndcg5;
        ndcg10 += other.ndcg10;
    }

    public long cases() {
        return cases;
    }

    public double recallAt5() {
        return cases == 0 ? 0 : hits5 / cases;
    }

    public double recallAt10() {
        return cases == 0 ? 0 : hits10 / cases;
    }

    public double ndcgAt5() {
        return cases == 0 ? 0 : ndcg5 / cases;
    }

    public double ndcgAt10() {
        return cases == 0 ? 0 : ndcg10 / cases;
    }

    @Override
    public String toString() {
        return String.format(
                java.util.Locale.ROOT,
                "R@5=%.4f R@10=%.4f N@5=%.4f N@10=%.4f (%d cases)",
                recallAt5(),
                recallAt10(),
                ndcgAt5(),
                ndcgAt10(),
                cases);
    }
}
