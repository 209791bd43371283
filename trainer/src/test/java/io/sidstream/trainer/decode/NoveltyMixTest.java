package io.sidstream.trainer.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.sidstream.model.block.SidRecModel;
import io.sidstream.model.decode.ConstrainedBeamSearch;
import io.sidstream.model.decode.NoveltyMix;
import io.sidstream.model.decode.Query;
import io.sidstream.model.decode.Recommendation;
import io.sidstream.trainer.TestModels;
import io.sidstream.trainer.data.Examples;
import io.sidstream.trainer.eval.Interaction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NoveltyMixTest {

    private static final int VIDEOS = 60;

    @Test
    void eachGroupIsADistributionWeightedByItsShare() {
        Map<String, List<Integer>> sids = sids(new Random(11));
        NoveltyMix mix = NoveltyMix.split(sids, NoveltyMixTest::trained, 0.3, 4);
        assertThat(mix.trained().size() + mix.novel().size()).isEqualTo(VIDEOS);
        List<Query> queries = queries(sids, new Random(12)).stream()
                .map(q -> new Query(q.context(), q.history()))
                .toList(); // an excluded video would take its mass away
        Engine.getInstance().setRandomSeed(5);
        try (SidRecModel model = SidRecModel.create(TestModels.small(), "mix", Device.cpu())) {
            // a beam as wide as the catalogue keeps every video, so the masses can be summed exactly
            List<List<Recommendation>> all = new ConstrainedBeamSearch(model).search(queries, mix, VIDEOS, VIDEOS);

            for (List<Recommendation> recs : all) {
                assertThat(recs).hasSize(VIDEOS);
                double trainedMass = 0;
                double novelMass = 0;
                for (Recommendation r : recs) {
                    if (trained(r.videoId())) {
                        assertThat(mix.trained().videoAt(r.sid())).isEqualTo(r.videoId());
                        trainedMass += Math.exp(r.score());
                    } else {
                        assertThat(mix.novel().videoAt(r.sid())).isEqualTo(r.videoId());
                        novelMass += Math.exp(r.score());
                    }
                }
                assertThat(novelMass).isCloseTo(0.3, within(1e-4));
                assertThat(trainedMass).isCloseTo(0.7, within(1e-4));
            }
        }
    }

    @Test
    void theShareDecidesWhichGroupFillsTheList() {
        Map<String, List<Integer>> sids = sids(new Random(21));
        List<Query> queries = queries(sids, new Random(22));
        Engine.getInstance().setRandomSeed(6);
        try (SidRecModel model = SidRecModel.create(TestModels.small(), "mix", Device.cpu())) {
            ConstrainedBeamSearch search = new ConstrainedBeamSearch(model);
            List<List<Recommendation>> none = search.search(queries, mixOf(sids, 0), 20, 10);
            List<List<Recommendation>> only = search.search(queries, mixOf(sids, 1), 20, 10);
            List<List<Recommendation>> half = search.search(queries, mixOf(sids, 0.5), 20, 10);

            for (int q = 0; q < queries.size(); q++) {
                assertThat(none.get(q))
                        .hasSize(10)
                        .allSatisfy(r -> assertThat(trained(r.videoId())).isTrue());
                assertThat(only.get(q))
                        .hasSize(10)
                        .allSatisfy(r -> assertThat(trained(r.videoId())).isFalse());
                List<Recommendation> mixed = half.get(q);
                assertThat(mixed).hasSize(10);
                assertThat(mixed.stream()
                                .map(Recommendation::videoId)
                                .distinct()
                                .count())
                        .isEqualTo(10);
                assertThat(mixed)
                        .extracting(Recommendation::videoId)
                        .doesNotContainAnyElementsOf(queries.get(q).exclude());
                for (int i = 1; i < mixed.size(); i++) {
                    assertThat(mixed.get(i).score())
                            .isLessThanOrEqualTo(mixed.get(i - 1).score());
                }
            }
        }
        assertThatThrownBy(() -> NoveltyMix.split(sids, v -> true, 1.5, 4))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void observedShareCountsTargetsTheEarlierPeriodDidNotHold() {
        assertThat(NoveltyMix.observedShare(List.of("a", "b", "b", "c"), Set.of("a", "c")::contains))
                .isEqualTo(0.5);
        assertThat(NoveltyMix.observedShare(List.of(), Set.of("a")::contains)).isZero();
    }

    private static NoveltyMix mixOf(Map<String, List<Integer>> sids, double novelShare) {
        return NoveltyMix.split(sids, NoveltyMixTest::trained, novelShare, 4);
    }

    /** Two thirds of the videos count as trained. */
    private static boolean trained(String video) {
        return Integer.parseInt(video.substring(1)) % 3 != 0;
    }

    private static Map<String, List<Integer>> sids(Random random) {
        Map<String, List<Integer>> sids = new LinkedHashMap<>();
        Set<List<Integer>> used = new HashSet<>();
        while (sids.size() < VIDEOS) {
            // few codes per level, so groups share prefixes and the tries branch at every level
            List<Integer> sid = List.of(random.nextInt(3), random.nextInt(4), random.nextInt(4), random.nextInt(2));
            if (used.add(sid)) {
                sids.put("v" + sids.size(), sid);
            }
        }
        return sids;
    }

    private static List<Query> queries(Map<String, List<Integer>> sids, Random random) {
        List<Query> queries = new ArrayList<>();
        for (int q = 0; q < 20; q++) {
            List<Interaction> history = new ArrayList<>();
            for (int i = 0; i < 1 + random.nextInt(8); i++) {
                history.add(new Interaction("u", "v" + random.nextInt(VIDEOS), 60_000L * i));
            }
            queries.add(new Query(
                    Examples.neutralContext(0), Examples.history(history, sids), Set.of("v" + random.nextInt(VIDEOS))));
        }
        return queries;
    }
}
