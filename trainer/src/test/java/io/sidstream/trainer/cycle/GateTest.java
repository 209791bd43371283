package io.sidstream.trainer.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.sidstream.core.config.ConfigLoader;
import io.sidstream.model.block.SidRecModel;
import io.sidstream.model.checkpoint.LocalCheckpointStore;
import io.sidstream.schemas.TrainingExample;
import io.sidstream.trainer.ScriptedExamples;
import io.sidstream.trainer.TrainerConfig;
import io.sidstream.trainer.data.InMemoryExampleSource;
import io.sidstream.trainer.eval.HoldoutMetrics;
import io.sidstream.trainer.eval.ScriptedWorld;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GateTest {

    @Test
    void decidesOnRecallAt10WithinTheTolerance() {
        Gate gate = new Gate(0.02);
        assertThat(gate.decide(metrics(0.10), Optional.empty()).publish()).isTrue();
        assertThat(gate.decide(metrics(0.29), Optional.of(metrics(0.30))).publish())
                .isTrue();
        Gate.Decision refused = gate.decide(metrics(0.27), Optional.of(metrics(0.30)));
        assertThat(refused.publish()).isFalse();
        assertThat(refused.reason()).contains("0.2700 < serving 0.3000");
    }

    /** A cycle whose trained model is then wrecked (every parameter zeroed) is judged on the same holdout and refused. */
    @Test
    void aCycleThatProducesAWorseModelIsNotPublished(@TempDir Path checkpoints) {
        ScriptedWorld world = new ScriptedWorld(new ScriptedWorld.Params(16, 8, 0, 4, 60, 5, 1.0, 256, 3, 64, 21));
        List<TrainingExample> all = ScriptedExamples.from(world, 20, "cb");
        Map<String, String> overrides = new HashMap<>(Map.of(
                "trainer.checkpoint.dir",
                checkpoints.toString(),
                "trainer.model.max-history",
                "20",
                "trainer.cycle.max-steps",
                "150",
                "trainer.cycle.holdout-fraction",
                "0.2",
                "trainer.training.batch-size",
                "32"));
        TrainerConfig config = TrainerConfig.from(ConfigLoader.withOverrides(overrides));
        CycleHooks sabotage = new CycleHooks() {
            @Override
            public void afterTraining(SidRecModel candidate, List<TrainingExample> trainedNew) {
                candidate
                        .block()
                        .getParameters()
                        .values()
                        .forEach(p -> p.getArray().muli(0));
            }
        };
        InMemoryExampleSource source = new InMemoryExampleSource();
        LocalCheckpointStore store = new LocalCheckpointStore(checkpoints, 5);

        source.append(all.subList(0, all.size() / 2));
        CycleResult first = new CycleRunner(config, source, store, Device.cpu(), CycleHooks.NONE).runCycle("on-demand");
        assertThat(first.published()).isTrue();
        assertThat(first.candidate().recallAt10()).isGreaterThan(0.2);

        source.append(all.subList(all.size() / 2, all.size()));
        CycleResult wrecked = new CycleRunner(config, source, store, Device.cpu(), sabotage).runCycle("on-demand");
        assertThat(wrecked.serving()).isNotNull();
        assertThat(wrecked.candidate().recallAt10())
                .isLessThan(wrecked.serving().recallAt10() - 0.01);
        assertThat(wrecked.published()).isFalse();
        assertThat(store.latestPublished().orElseThrow().meta().version()).isEqualTo(first.version());
        assertThat(store.latest().orElseThrow().meta().version()).isEqualTo(wrecked.version());
    }

    private static HoldoutMetrics metrics(double recallAt10) {
        return new HoldoutMetrics(100, recallAt10, recallAt10, 0, 0, 0, 0, 0, recallAt10);
    }
}
