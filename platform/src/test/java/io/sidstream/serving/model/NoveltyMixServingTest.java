package io.sidstream.serving.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.sidstream.core.config.ConfigLoader;
import io.sidstream.model.checkpoint.CheckpointLayout;
import io.sidstream.model.checkpoint.CheckpointStore.StoredCheckpoint;
import io.sidstream.model.checkpoint.LocalCheckpointStore;
import io.sidstream.schemas.CheckpointPublished;
import io.sidstream.schemas.SidEntry;
import io.sidstream.schemas.TrainingExample;
import io.sidstream.serving.trie.ServingTrie;
import io.sidstream.serving.trie.ServingTries;
import io.sidstream.trainer.TrainerConfig;
import io.sidstream.trainer.cycle.CycleHooks;
import io.sidstream.trainer.cycle.CycleResult;
import io.sidstream.trainer.cycle.CycleRunner;
import io.sidstream.trainer.data.InMemoryExampleSource;
import io.sidstream.trainer.eval.ScriptedWorld;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cold start at the serving node, without a broker: a checkpoint trained by a real cycle is loaded by the real loader
 * over a live trie, then a video is uploaded that the model never trained on, its SID sharing all but its last code
 * with the model's favourite for a history. Decoded as one trie (what serving did before the novelty mix), the model
 * gives the unseen last code next to no mass and the upload stays out of the top k; decoded as the checkpoint's
 * novelty mix it is the whole novel group and comes back with score {@code log(novel_share)}, inside the top k. Removed
 * videos, trained or novel, never come back either way.
 */
class NoveltyMixServingTest {

    private static final String CODEBOOK = "cb-1";

    @Test
    void anUploadAfterTheCheckpointIsRecommendedAndRemovedVideosNeverAre(@TempDir Path checkpoints) throws Exception {
        ScriptedWorld world = new ScriptedWorld(new ScriptedWorld.Params(6, 6, 2, 3, 40, 5, 0.9, 256, 3, 64, 3));
        List<TrainingExample> examples = TrainedModelServingTest.examples(world);
        TrainerConfig config = TrainerConfig.from(ConfigLoader.withOverrides(Map.ofEntries(
                Map.entry("trainer.checkpoint.dir", checkpoints.toString()),
                Map.entry("trainer.model.max-history", "20"),
                Map.entry("trainer.model.d-model", "32"),
                Map.entry("trainer.model.ffn-dim", "64"),
                Map.entry("trainer.cycle.max-steps", "40"),
                Map.entry("trainer.cycle.holdout-fraction", "0.2"))));
        LocalCheckpointStore store = new LocalCheckpointStore(checkpoints, 5);
        InMemoryExampleSource source = new InMemoryExampleSource();
        source.append(examples);
        CycleResult cycle = new CycleRunner(config, source, store, Device.cpu(), CycleHooks.NONE).runCycle("test");
        StoredCheckpoint checkpoint = store.read(cycle.version()).orElseThrow();

        // the checkpoint names exactly what its model trained on: every video of the training examples, not the
        // videos only its holdout has seen
        Set<String> trained = CheckpointLayout.readTrainedVideos(checkpoint).orElseThrow();
        double share = checkpoint.meta().metrics().get(CheckpointLayout.NOVEL_SHARE);
        assertThat(share).isGreaterThan(0).isLessThan(1);
        assertThat(world.sids().keySet()).containsAll(trained);
        Set<String> untrained = new HashSet<>(world.sids().keySet());
        untrained.removeAll(trained);

        ServingTrie trie = new ServingTrie();
        List<SidEntry> live = new ArrayList<>();
        world.sids().forEach((video, sid) -> live.add(entry(video, sid)));
        ServingTries.replace(trie, CODEBOOK, 1, live);
        TrainerModelLoader loader = new TrainerModelLoader(trie, Device.cpu(), Clock.systemUTC());
        CheckpointPublished announcement = announcement(checkpoints.resolve(cycle.version()));
        try (TrainerServingModel mixed = (TrainerServingModel) loader.load(announcement);
                TrainerServingModel single = plain(announcement, trie)) {
            assertThat(mixed.groupSizes()).containsExactly(world.sids().size() - untrained.size(), untrained.size());
            assertThat(single.groupSizes()).isNull();

            // the fresh upload shares its SID prefix with the model's favourite for this history
            List<String> history = examples.get(examples.size() - 1).getHistory().stream()
                    .map(h -> h.getVideoId())
                    .toList();
            ServingModel.Query query = new ServingModel.Query(history, null, null, null, null);
            String favourite = ids(single.recommend(query, 10, 10)).stream()
                    .filter(trained::contains)
                    .findFirst()
                    .orElseThrow();
            List<Integer> fresh = freeSibling(world.sids().get(favourite), world.sids());
            // the untrained videos are taken down, so the fresh upload is the whole novel group: P(fresh | novel) = 1
            List<String> removedNovel = List.copyOf(untrained);
            ServingTries.apply(trie, CODEBOOK, 2, List.of(entry("fresh-1", fresh)), removedNovel);
            assertThat(mixed.groupSizes()).containsExactly(trained.size(), 1);

            // with k above (1 - s) / s, log(s) beats the k-th trained video: the k-th of a distribution has at most 1/k
            int k = (int) Math.floor((1 - share) / share) + 1;
            List<String> before = ids(single.recommend(query, k, Math.max(k, 10)));
            List<ServingModel.Scored> after =
                    mixed.recommend(query, k, Math.max(k, 10)).items();
            assertThat(before).doesNotContain("fresh-1");
            assertThat(ids(after)).contains("fresh-1");
            assertThat(after)
                    .filteredOn(s -> s.videoId().equals("fresh-1"))
                    .singleElement()
                    .satisfies(s -> assertThat(s.score())
                            .isCloseTo(Math.log(share), org.assertj.core.data.Offset.offset(1e-4)));

            // removals reach both groups: a removed trained video and the removed upload never come back, and every
            // answer, however wide, is a live video outside the history
            String removedTrained = before.get(0);
            ServingTries.apply(trie, CODEBOOK, 3, List.of(), List.of(removedTrained, "fresh-1"));
            assertThat(mixed.groupSizes()).containsExactly(trained.size() - 1, 0);
            Set<String> liveNow = new HashSet<>();
            trie.entries(CODEBOOK).forEach(e -> liveNow.add(e.getVideoId()));
            for (TrainerServingModel model : List.of(mixed, single)) {
                List<String> all = ids(model.recommend(query, 200, 200));
                assertThat(all)
                        .isNotEmpty()
                        .doesNotContain(removedTrained, "fresh-1")
                        .doesNotContainAnyElementsOf(removedNovel)
                        .doesNotContainAnyElementsOf(history)
                        .allMatch(liveNow::contains)
                        .doesNotHaveDuplicates();
            }
        }
    }

    /** The same checkpoint as a model without the novelty mix: single-trie decoding, as serving did before it. */
    private static TrainerServingModel plain(CheckpointPublished announcement, ServingTrie trie) throws Exception {
        Path dir = Path.of(java.net.URI.create(announcement.getUri()));
        io.sidstream.model.config.ModelConfig config = new com.fasterxml.jackson.databind.ObjectMapper()
                .readValue(
                        dir.resolve(CheckpointLayout.MODEL_JSON).toFile(), io.sidstream.model.config.ModelConfig.class);
        io.sidstream.model.block.SidRecModel model = io.sidstream.model.block.SidRecModel.load(
                config, CODEBOOK, Device.cpu(), dir.resolve(CheckpointLayout.PARAMETERS));
        return new TrainerServingModel(
                new ServingModel.Info("sidstream", 1, CODEBOOK, Instant.now()),
                model,
                trie,
                List.of(),
                Map.of(),
                Clock.systemUTC());
    }

    /** A SID no video holds, equal to {@code sid} but in its last code. */
    private static List<Integer> freeSibling(List<Integer> sid, Map<String, List<Integer>> taken) {
        Set<List<Integer>> used = new HashSet<>(taken.values());
        for (int code = 0; ; code++) {
            List<Integer> candidate = new ArrayList<>(sid);
            candidate.set(sid.size() - 1, code);
            if (!used.contains(candidate)) {
                return List.copyOf(candidate);
            }
        }
    }

    private static CheckpointPublished announcement(Path dir) throws Exception {
        String sha = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(Files.readAllBytes(dir.resolve(CheckpointLayout.MANIFEST))));
        return CheckpointPublished.newBuilder()
                .setModelName("sidstream")
                .setVersion(1)
                .setUri(dir.toUri().toString())
                .setManifestSha256(sha)
                .setCodebookVersion(CODEBOOK)
                .setMetrics(Map.of())
                .setDataWatermark(Instant.now())
                .setSourceOffsets(Map.of())
                .setParentVersion(null)
                .setPublishedTime(Instant.now())
                .build();
    }

    private static SidEntry entry(String video, List<Integer> sid) {
        Instant now = Instant.now();
        return new SidEntry(video, List.copyOf(sid), now, now);
    }

    private static List<String> ids(ServingModel.Result result) {
        return ids(result.items());
    }

    private static List<String> ids(List<ServingModel.Scored> items) {
        return items.stream().map(ServingModel.Scored::videoId).toList();
    }
}
