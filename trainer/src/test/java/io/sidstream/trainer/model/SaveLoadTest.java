package io.sidstream.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.sidstream.model.block.SidRecModel;
import io.sidstream.model.config.ModelConfig;
import io.sidstream.model.decode.ConstrainedBeamSearch;
import io.sidstream.model.decode.Query;
import io.sidstream.model.decode.Recommendation;
import io.sidstream.model.decode.SidTrie;
import io.sidstream.schemas.TrainingExample;
import io.sidstream.trainer.ScriptedExamples;
import io.sidstream.trainer.TestModels;
import io.sidstream.trainer.data.Examples;
import io.sidstream.trainer.eval.ModelRanker;
import io.sidstream.trainer.eval.ScriptedWorld;
import io.sidstream.trainer.train.Budget;
import io.sidstream.trainer.train.ModelTrainer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SaveLoadTest {

    @Test
    void aSavedAndLoadedModelGivesIdenticalScores(@TempDir Path dir) {
        ScriptedWorld world = new ScriptedWorld(new ScriptedWorld.Params(8, 6, 1, 2, 30, 4, 0.9, 256, 3, 64, 9));
        List<TrainingExample> examples = ScriptedExamples.from(world, 20, "cb");
        SidTrie trie = ModelRanker.trieOf(world.sids(), 4);
        List<Query> queries =
                examples.subList(0, 40).stream().map(Examples::query).toList();
        Path parameters = dir.resolve("parameters.bin");
        List<List<Recommendation>> before;
        Engine.getInstance().setRandomSeed(1);
        try (SidRecModel model = SidRecModel.create(TestModels.small(), "cb", Device.cpu());
                ModelTrainer trainer = new ModelTrainer(model, TestModels.training())) {
            trainer.train(examples, Budget.steps(10));
            before = new ConstrainedBeamSearch(model).search(queries, trie, 20, 10);
            model.saveParameters(parameters);
        }
        Engine.getInstance().setRandomSeed(99); // a different initialisation is overwritten by the load
        try (SidRecModel loaded = SidRecModel.load(TestModels.small(), "cb", Device.cpu(), parameters)) {
            List<List<Recommendation>> after = new ConstrainedBeamSearch(loaded).search(queries, trie, 20, 10);
            assertThat(after).hasSameSizeAs(before);
            for (int q = 0; q < before.size(); q++) {
                assertThat(after.get(q))
                        .extracting(Recommendation::videoId)
                        .containsExactlyElementsOf(before.get(q).stream()
                                .map(Recommendation::videoId)
                                .toList());
                assertThat(after.get(q))
                        .extracting(Recommendation::score)
                        .containsExactlyElementsOf(before.get(q).stream()
                                .map(Recommendation::score)
                                .toList());
            }
        }
        ModelConfig wider =
                new ModelConfig(3, 256, 64, 32, 2, 2, 128, 20, 16, 8, 16, 1, 0.5, 0, 0, 0.0, 0, false, 0, 0);
        assertThatThrownBy(() -> SidRecModel.load(wider, "cb", Device.cpu(), parameters))
                .isInstanceOf(RuntimeException.class);
    }
}
