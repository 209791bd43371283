package io.sidstream.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.sidstream.model.block.BatchEncoder;
import io.sidstream.model.block.SidRecModel;
import io.sidstream.model.config.ModelConfig;
import io.sidstream.model.decode.ConstrainedBeamSearch;
import io.sidstream.model.decode.Recommendation;
import io.sidstream.schemas.TrainingExample;
import io.sidstream.trainer.ScriptedExamples;
import io.sidstream.trainer.TestModels;
import io.sidstream.trainer.data.Examples;
import io.sidstream.trainer.eval.ModelRanker;
import io.sidstream.trainer.eval.ScriptedWorld;
import io.sidstream.trainer.train.Budget;
import io.sidstream.trainer.train.ModelTrainer;
import io.sidstream.trainer.train.TrainStats;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultiTokenPredictionTest {

    @Test
    void extraHeadsTargetTheItemsFurtherAheadAndTrainAlongside() {
        ScriptedWorld world = new ScriptedWorld(new ScriptedWorld.Params(8, 6, 1, 2, 30, 4, 0.9, 256, 3, 64, 4));
        List<TrainingExample> examples = ScriptedExamples.from(world, 20, "cb");
        ModelConfig config = TestModels.small().withMtpHorizon(3);

        // history h1..h4 then the target: h4 predicts target (horizon 1) only; h2 predicts h3, h4, target
        TrainingExample five = examples.stream()
                .filter(e -> e.getHistory().size() == 4)
                .findFirst()
                .orElseThrow();
        BatchEncoder.Encoded encoded = new BatchEncoder(config).encodeTraining(List.of(five));
        assertThat(encoded.positions()).isEqualTo(5);

        Engine.getInstance().setRandomSeed(3);
        try (SidRecModel model = SidRecModel.create(config, "cb", Device.cpu());
                ModelTrainer trainer = new ModelTrainer(model, TestModels.training())) {
            float before = trainer.step(examples.subList(0, 32));
            TrainStats stats = trainer.train(examples, Budget.steps(40));
            assertThat(stats.lastLoss()).isFinite().isLessThan(before);
            List<List<Recommendation>> recs = new ConstrainedBeamSearch(model)
                    .search(List.of(Examples.query(five)), ModelRanker.trieOf(world.sids(), 4), 10, 10);
            assertThat(recs.get(0)).hasSize(10);
        }
    }
}
