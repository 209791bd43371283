package io.sidstream.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BaselinesTest {

    private static Interaction i(String user, String video, long time) {
        return new Interaction(user, video, time);
    }

    @Test
    void leaveOneOutHoldsOutTheLastTwoInteractionsPerUser() {
        LeaveOneOut split = LeaveOneOut.split(List.of(
                i("a", "x", 3), i("a", "y", 1), i("a", "z", 2), i("a", "w", 4), i("b", "x", 1), i("b", "y", 2)));
        assertThat(split.train().get("a")).extracting(Interaction::videoId).containsExactly("y", "z");
        assertThat(split.validation())
                .singleElement()
                .satisfies(c -> assertThat(c.target().videoId()).isEqualTo("x"));
        assertThat(split.test()).singleElement().satisfies(c -> {
            assertThat(c.target().videoId()).isEqualTo("w");
            assertThat(c.history()).extracting(Interaction::videoId).containsExactly("y", "z", "x");
        });
        assertThat(split.train().get("b")).hasSize(2);
    }

    @Test
    void metricsAndBaselinesRankFromTheSameHarnessWithSeenItemsFiltered() {
        List<List<Interaction>> train = List.of(
                List.of(i("a", "p", 1), i("a", "q", 2), i("a", "r", 3)),
                List.of(i("b", "p", 1), i("b", "q", 2)),
                List.of(i("c", "p", 1), i("c", "s", 2)));
        EvalCase afterP = new EvalCase("d", List.of(i("d", "p", 1)), i("d", "q", 2));

        List<String> popular =
                new PopularityRanker(train).rank(List.of(afterP), 3).get(0);
        assertThat(popular).containsExactly("q", "r", "s"); // p is seen and filtered

        List<String> cooc =
                new CooccurrenceRanker(train).rank(List.of(afterP), 3).get(0);
        assertThat(cooc.get(0)).isEqualTo("q"); // followed p twice directly

        RankingMetrics m = new RankingMetrics();
        m.add(List.of("q", "r"), "q");
        m.add(List.of("r", "q"), "q");
        m.add(List.of("r", "s"), "q");
        assertThat(m.recallAt10()).isEqualTo(2.0 / 3);
        assertThat(m.ndcgAt10())
                .isCloseTo((1 + 1 / (Math.log(3) / Math.log(2))) / 3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(m.recallAt5()).isEqualTo(2.0 / 3);
    }
}
