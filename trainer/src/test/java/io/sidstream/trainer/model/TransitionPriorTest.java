package io.sidstream.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import io.sidstream.model.block.SidRecModel;
import io.sidstream.model.block.TransitionPrior;
import io.sidstream.model.config.ModelConfig;
import io.sidstream.model.decode.ConstrainedBeamSearch;
import io.sidstream.model.decode.Query;
import io.sidstream.model.decode.Recommendation;
import io.sidstream.model.decode.SidTrie;
import io.sidstream.schemas.TrainingExample;
import io.sidstream.trainer.TestModels;
import io.sidstream.trainer.data.Examples;
import io.sidstream.trainer.eval.Interaction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransitionPriorTest {

    private static final ModelConfig CONFIG = TestModels.withItemBucketsAndWideHead();

    /** 30 videos; v0..v9 share first code 0 (so the prior must not dilute a count across a crowded cluster). */
    private static Map<String, List<Integer>> sids() {
        Map<String, List<Integer>> sids = new LinkedHashMap<>();
        for (int i = 0; i < 30; i++) {
            sids.put("v" + i, List.of(i < 10 ? 0 : i % 5, i, (7 * i) % 256, 0));
        }
        return sids;
    }

    private static TrainingExample example(String user, Map<String, List<Integer>> sids, String... videos) {
        List<Interaction> history = new ArrayList<>();
        for (int i = 0; i < videos.length - 1; i++) {
            history.add(new Interaction(user, videos[i], 60_000L * i));
        }
        return Examples.example(
                user, history, new Interaction(user, videos[videos.length - 1], 60_000L * videos.length), sids, "cb");
    }

    /** Every parameter 0: the transformer's logits are flat, so only the prior tells the videos apart. */
    private static void silence(SidRecModel model) {
        model.block().getParameters().forEach(p -> {
            NDArray array = p.getValue().getArray();
            array.set(new float[(int) array.size()]);
        });
    }

    @Test
    void onItsOwnThePriorDecodesToTheCooccurrenceRanking(@TempDir Path dir) {
        Map<String, List<Integer>> sids = sids();
        SidTrie trie = new SidTrie(CONFIG.sidLength());
        sids.forEach(trie::add);
        // after v1: v2 twice at distance 1 (score 2), v15 once (1), v3 and v4 each once at distance 2 (1/2 x 1/2...)
        List<TrainingExample> examples = List.of(
                example("a", sids, "v1", "v2", "v3"),
                example("b", sids, "v1", "v2", "v4"),
                example("c", sids, "v1", "v15"));
        try (SidRecModel model = SidRecModel.create(CONFIG, "cb", Device.cpu())) {
            silence(model);
            TransitionPrior prior = TransitionPrior.of(model);
            prior.addEveryTransition(examples);
            Query query = new Query(
                    Examples.neutralContext(0), Examples.history(List.of(new Interaction("q", "v1", 0L)), sids));

            List<Recommendation> top = new ConstrainedBeamSearch(model)
                    .search(List.of(query), trie, 30, 4)
                    .get(0);

            // co-occurrence scores after v1: v2 2, v15 1, v3 and v4 1/2 each (distance 2); total 4
            assertThat(top).extracting(Recommendation::videoId).startsWith("v2", "v15");
            assertThat(top.subList(2, 4)).extracting(Recommendation::videoId).containsExactlyInAnyOrder("v3", "v4");
            // the prior telescopes over the trie: P(video) = (1 + w s) / (videos + w x total score)
            double w = CONFIG.transitionWeight();
            assertThat(top.get(0).score()).isCloseTo(Math.log((1 + 2 * w) / (30 + 4 * w)), within(1e-4));
            assertThat(top.get(2).score()).isCloseTo(Math.log((1 + 0.5 * w) / (30 + 4 * w)), within(1e-4));

            // the checkpoint carries the counts
            Path parameters = dir.resolve("parameters.bin");
            model.saveParameters(parameters);
            try (SidRecModel loaded = SidRecModel.load(CONFIG, "cb", Device.cpu(), parameters)) {
                assertThat(TransitionPrior.of(loaded).keys())
                        .isEqualTo(prior.keys())
                        .isPositive();
                assertThat(TransitionPrior.of(loaded).total()).isCloseTo(prior.total(), within(1e-6));
                List<Recommendation> again = new ConstrainedBeamSearch(loaded)
                        .search(List.of(query), trie, 30, 4)
                        .get(0);
                assertThat(again.get(0).score()).isCloseTo(top.get(0).score(), within(1e-5));
            }
        }
    }

    @Test
    void theWindowReachesPastTheRecentVideosAndTheDecaysWeighDistanceAndRecency() {
        // window 3 (wide-items 2), pairs count 1/sqrt(d), the second most recent video's counts 1/4
        ModelConfig config = new ModelConfig(
                3, 256, 64, 64, 2, 2, 128, 20, 16, 8, 16, 1, 0.5, 1000, 96, 0.3, 32, true, 4096, 2, true, 2.0, 3, 0.5,
                2.0);
        Map<String, List<Integer>> sids = sids();
        SidTrie trie = new SidTrie(config.sidLength());
        sids.forEach(trie::add);
        List<TrainingExample> examples =
                List.of(example("a", sids, "v1", "v2", "v3", "v4"), example("b", sids, "v9", "v20"));
        try (SidRecModel model = SidRecModel.create(config, "cb", Device.cpu())) {
            silence(model);
            TransitionPrior.of(model).addEveryTransition(examples);
            Query query = new Query(
                    Examples.neutralContext(0),
                    Examples.history(
                            List.of(new Interaction("q", "v1", 0L), new Interaction("q", "v9", 60_000L)), sids));

            List<Recommendation> top = new ConstrainedBeamSearch(model)
                    .search(List.of(query), trie, 30, 4)
                    .get(0);

            // under v9 (most recent): v20 1; under v1 (weight 1/4): v2 1, v3 1/sqrt(2), v4 1/sqrt(3) (distance 3)
            assertThat(top).extracting(Recommendation::videoId).containsExactly("v20", "v2", "v3", "v4");
            double w = config.transitionWeight();
            double total = 1 + (1 + 1 / Math.sqrt(2) + 1 / Math.sqrt(3)) / 4;
            assertThat(top.get(0).score()).isCloseTo(Math.log((1 + w) / (30 + total * w)), within(1e-4));
            assertThat(top.get(3).score())
                    .isCloseTo(Math.log((1 + w / (4 * Math.sqrt(3))) / (30 + total * w)), within(1e-4));
        }
    }
}
