package io.sidstream.trainer.decode;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.sidstream.model.block.SidRecModel;
import io.sidstream.model.decode.ConstrainedBeamSearch;
import io.sidstream.model.decode.GreedyDecoder;
import io.sidstream.model.decode.Query;
import io.sidstream.model.decode.Recommendation;
import io.sidstream.model.decode.SidTrie;
import io.sidstream.trainer.TestModels;
import io.sidstream.trainer.data.Examples;
import io.sidstream.trainer.eval.Interaction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConstrainedDecodingTest {

    @Test
    void constrainedBeamSearchOnlyReturnsLiveVideosWhileGreedyDecodingDoesNot() {
        Random random = new Random(3);
        Map<String, List<Integer>> sids = new HashMap<>();
        Set<List<Integer>> used = new HashSet<>();
        while (sids.size() < 300) {
            // few first-level codes, so prefixes are shared and the trie branches at every level
            List<Integer> sid = List.of(random.nextInt(4), random.nextInt(256), random.nextInt(256), random.nextInt(2));
            if (used.add(sid)) {
                sids.put("v" + sids.size(), sid);
            }
        }
        SidTrie trie = new SidTrie(4);
        sids.forEach((v, sid) -> {
            if (Integer.parseInt(v.substring(1)) % 3 != 0) {
                trie.add(v, sid); // a third of the videos are not live
            }
        });
        List<Query> queries = new ArrayList<>();
        for (int q = 0; q < 200; q++) {
            List<Interaction> history = new ArrayList<>();
            for (int i = 0; i < 1 + random.nextInt(15); i++) {
                history.add(new Interaction("u", "v" + random.nextInt(300), 60_000L * i));
            }
            Set<String> exclude = new HashSet<>(List.of("v" + random.nextInt(300), "v1", "v2"));
            queries.add(new Query(Examples.neutralContext(0), Examples.history(history, sids), exclude));
        }
        Engine.getInstance().setRandomSeed(5);
        try (SidRecModel model = SidRecModel.create(TestModels.small(), "cb", Device.cpu())) {
            List<List<Recommendation>> results = new ConstrainedBeamSearch(model).search(queries, trie, 30, 20);

            for (int q = 0; q < queries.size(); q++) {
                List<Recommendation> recs = results.get(q);
                assertThat(recs).hasSize(20);
                for (Recommendation r : recs) {
                    assertThat(trie.videoAt(r.sid())).isEqualTo(r.videoId());
                    assertThat(queries.get(q).exclude()).doesNotContain(r.videoId());
                }
                assertThat(recs.stream().map(Recommendation::videoId).distinct().count())
                        .isEqualTo(20);
                for (int i = 1; i < recs.size(); i++) {
                    assertThat(recs.get(i).score())
                            .isLessThanOrEqualTo(recs.get(i - 1).score());
                }
            }
            // an untrained model on its own lands on SIDs that are not live nearly always
            assertThat(new GreedyDecoder(model).invalidShare(queries, trie)).isGreaterThan(0.5);

            // a video removed from the trie can no longer come out
            String removed = results.get(0).get(0).videoId();
            trie.remove(removed);
            List<List<Recommendation>> after = new ConstrainedBeamSearch(model).search(queries, trie, 30, 20);
            after.forEach(
                    recs -> assertThat(recs).extracting(Recommendation::videoId).doesNotContain(removed));
        }
    }
}
