package io.sidstream.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.sidstream.model.block.BatchEncoder;
import io.sidstream.model.block.SidRecModel;
import io.sidstream.model.block.TransitionPrior;
import io.sidstream.schemas.TrainingExample;
import io.sidstream.trainer.ScriptedExamples;
import io.sidstream.trainer.TestModels;
import io.sidstream.trainer.eval.ModelRanker;
import io.sidstream.trainer.eval.ScriptedWorld;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModelTrainerTest {

    @Test
    void lengthBucketsHoldEveryExampleOnceInBatchesOfSimilarLength() {
        List<TrainingExample> examples =
                ScriptedExamples.from(new ScriptedWorld(ScriptedWorld.Params.small(3)), 20, "cb");
        Engine.getInstance().setRandomSeed(3);
        try (SidRecModel model = SidRecModel.create(TestModels.small(), "cb", ai.djl.Device.cpu());
                ModelTrainer trainer = new ModelTrainer(model, TestModels.training())) {
            BatchEncoder encoder = new BatchEncoder(model.config());
            List<List<TrainingExample>> batches = trainer.lengthBuckets(new ArrayList<>(examples));

            Set<String> ids = new HashSet<>();
            long padded = 0;
            long real = 0;
            for (List<TrainingExample> batch : batches) {
                assertThat(batch.size()).isBetween(1, TestModels.training().batchSize());
                int longest = 0;
                for (TrainingExample e : batch) {
                    assertThat(ids.add(e.getExampleId()))
                            .as("each example once")
                            .isTrue();
                    longest = Math.max(longest, encoder.readLength(e.getHistory()));
                    real += encoder.readLength(e.getHistory()) + 1;
                }
                padded += (long) batch.size() * (longest + 1);
            }
            assertThat(ids).hasSize(examples.size());
            assertThat(batches).hasSize(trainer.batchesPerEpoch(examples.size()) + extraBatches(examples.size()));
            // histories of 1..20 items: sorted windows pad far less than padding every batch to the model's 21
            assertThat((double) real / padded).as("share of real positions").isGreaterThan(0.9);
        }
    }

    @Test
    void everyOptionalPartTrainsAndLearns() {
        // hashed item ids, a wide head, the cluster head (rows grouped by cluster, padding left out), dropout, the
        // softmax over the catalogue's codes and the wide part
        ScriptedWorld world = new ScriptedWorld(ScriptedWorld.Params.small(5));
        List<TrainingExample> examples = ScriptedExamples.from(world, 20, "cb");
        Engine.getInstance().setRandomSeed(5);
        try (SidRecModel model =
                        SidRecModel.create(TestModels.withItemBucketsAndWideHead(), "cb", ai.djl.Device.cpu());
                ModelTrainer trainer = new ModelTrainer(model, TestModels.training())
                        .withCatalog(ModelRanker.trieOf(world.sids(), 4))) {
            float[] clusterLayers = model.block()
                    .getParameters()
                    .get("cluster_out_w")
                    .getArray()
                    .toFloatArray();
            float[] wide =
                    model.block().getParameters().get("wide_w").getArray().toFloatArray();
            assertThat(wide).as("the wide part starts at 0").containsOnly(0f);
            trainer.countTransitions(examples, false);
            double counted = TransitionPrior.of(model).total();
            assertThat(counted)
                    .as("a weight per example, SID step and recent video: in the model's prior")
                    .isGreaterThan(examples.size() * 4 * 0.9);
            float first = trainer.step(examples.subList(0, 32));
            int held = model.manager().getManagedArrays().size();
            TrainStats stats = trainer.train(examples, Budget.steps(60));

            // nothing a step computes stays with the model (a view of a parameter must go with its batch)
            assertThat(model.manager().getManagedArrays()).hasSize(held);

            assertThat(first).isFinite();
            // the transition prior's counts already lower the first loss, so the transformer has less left to take off
            // than alone (0.815 of the first loss after 60 steps, against under 0.8 without a prior)
            assertThat(stats.lastLoss()).isFinite().isLessThan(first * 0.9);
            assertThat(model.block()
                            .getParameters()
                            .get("cluster_out_w")
                            .getArray()
                            .toFloatArray())
                    .as("the cluster layers learn")
                    .isNotEqualTo(clusterLayers);
            assertThat(model.block().getParameters().get("wide_w").getArray().toFloatArray())
                    .as("the wide part learns")
                    .isNotEqualTo(wide);
        }
    }

    /** Windows cut batches on their own, so a partial batch can end each window. */
    private static int extraBatches(int examples) {
        int window = TestModels.training().batchSize() * ModelTrainer.BUCKET_WINDOW;
        int full = examples / window;
        int rest = examples % window;
        int batches = full * ModelTrainer.BUCKET_WINDOW
                + (rest + TestModels.training().batchSize() - 1)
                        / TestModels.training().batchSize();
        return batches
                - (examples + TestModels.training().batchSize() - 1)
                        / TestModels.training().batchSize();
    }

    @Test
    void aNonFiniteGradientIsZeroedInPlace() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weights = manager.create(new float[] {1f, 2f, 3f});
            weights.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(weights.mul(Float.NaN).sum());
            }
            assertThat(weights.getGradient().toFloatArray()).containsOnly(Float.NaN);

            ModelTrainer.zero(weights.getGradient());

            assertThat(weights.getGradient().toFloatArray()).containsExactly(0f, 0f, 0f);
        }
    }
}
