package io.sidstream.model.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sidstream.model.block.SidRecModel;
import io.sidstream.model.config.ModelConfig;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A search over a {@link ModelSnapshot} finds what the engine finds, with the same scores. */
class ModelSnapshotSearchTest {

    @ParameterizedTest
    @MethodSource("io.sidstream.model.decode.JavaDecodingFixtures#shapes")
    void smallSearchesInJavaMatchTheEngine(ModelConfig shape) {
        Catalog catalog = Catalog.of(41);
        SidTrie trie = catalog.trie();
        NoveltyMix mix = catalog.mix();
        List<Query> queries = catalog.queries();
        // the calls below stay within the Java path's limits, so it is the one compared
        assertThat(16).isLessThanOrEqualTo(CodeHead.MAX_ROWS);
        assertThat(2 * 16).isLessThanOrEqualTo(CodeHead.MAX_RENORMALISED_ROWS);
        assertThat(LastStateEncoder.MAX_QUERIES).isGreaterThanOrEqualTo(1);
        try (SidRecModel model = JavaDecodingFixtures.model(43, shape)) {
            ConstrainedBeamSearch engine = new ConstrainedBeamSearch(model);
            ConstrainedBeamSearch java = new ConstrainedBeamSearch(model, ModelSnapshot.of(model));

            for (Query query : queries) {
                List<Query> one = List.of(query);
                assertSame(engine.search(one, trie, 10, 10), java.search(one, trie, 10, 10));
                assertSame(engine.search(one, mix, 10, 10), java.search(one, mix, 10, 10));
                assertSame(engine.search(one, mix, 16, 5), java.search(one, mix, 16, 5));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.sidstream.model.decode.JavaDecodingFixtures#shapes")
    void largeSearchesOverASnapshotMatchTheEngineToo(ModelConfig shape) {
        Catalog catalog = Catalog.of(61);
        SidTrie trie = catalog.trie();
        NoveltyMix mix = catalog.mix();
        List<Query> queries = catalog.queries();
        try (SidRecModel model = JavaDecodingFixtures.model(63, shape)) {
            ConstrainedBeamSearch engine = new ConstrainedBeamSearch(model);
            ConstrainedBeamSearch java = new ConstrainedBeamSearch(model, ModelSnapshot.of(model));

            // one query at beam 50: the mix in Java throughout, a single trie with the engine's head; twelve at beam 10
            // over the mix: the engine throughout
            assertThat(2 * 50).isBetween(CodeHead.MAX_ROWS + 1, CodeHead.MAX_RENORMALISED_ROWS);
            assertThat(12).isGreaterThan(LastStateEncoder.MAX_QUERIES);
            List<Query> one = queries.subList(0, 1);
            assertSame(engine.search(one, mix, 50, 20), java.search(one, mix, 50, 20));
            assertSame(engine.search(one, trie, 50, 20), java.search(one, trie, 50, 20));
            assertSame(engine.search(queries, mix, 10, 10), java.search(queries, mix, 10, 10));
        }
    }

    /** 3,000 videos in one trie and as a novelty mix (a quarter novel), and 12 queries over them. */
    private record Catalog(SidTrie trie, NoveltyMix mix, List<Query> queries) {

        static Catalog of(long seed) {
            Map<String, List<Integer>> sids = JavaDecodingFixtures.sids(new Random(seed), 3_000);
            SidTrie trie = new SidTrie(4);
            sids.forEach(trie::add);
            NoveltyMix mix = NoveltyMix.split(sids, v -> Integer.parseInt(v.substring(1)) % 4 != 0, 0.2, 4);
            return new Catalog(trie, mix, JavaDecodingFixtures.queries(sids, new Random(seed + 1), 12, 20));
        }
    }

    private static void assertSame(List<List<Recommendation>> expected, List<List<Recommendation>> actual) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int q = 0; q < expected.size(); q++) {
            assertThat(actual.get(q))
                    .extracting(Recommendation::videoId)
                    .containsExactlyElementsOf(expected.get(q).stream()
                            .map(Recommendation::videoId)
                            .toList());
            for (int i = 0; i < expected.get(q).size(); i++) {
                assertThat(actual.get(q).get(i).score())
                        .isCloseTo(expected.get(q).get(i).score(), within(1e-4));
                assertThat(actual.get(q).get(i).sid())
                        .containsExactly(expected.get(q).get(i).sid());
            }
        }
    }
}
