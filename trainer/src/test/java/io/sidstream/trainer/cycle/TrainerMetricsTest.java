package io.sidstream.trainer.cycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.sidstream.core.config.ConfigLoader;
import io.sidstream.model.block.SidRecModel;
import io.sidstream.model.checkpoint.CheckpointLayout;
import io.sidstream.model.checkpoint.LocalCheckpointStore;
import io.sidstream.model.checkpoint.OfflineTableFile;
import io.sidstream.schemas.TrainingExample;
import io.sidstream.trainer.ScriptedExamples;
import io.sidstream.trainer.TrainerConfig;
import io.sidstream.trainer.data.InMemoryExampleSource;
import io.sidstream.trainer.eval.ScriptedWorld;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer's metrics follow published, gated and failed cycles; a published checkpoint carries its offline table. */
class TrainerMetricsTest {

    @Test
    void publishedGatedAndFailedCyclesAreCountedAndThePublishedOneHasAnOfflineTable(@TempDir Path checkpoints)
            throws Exception {
        ScriptedWorld world = new ScriptedWorld(new ScriptedWorld.Params(16, 8, 0, 4, 60, 5, 1.0, 256, 3, 64, 21));
        List<TrainingExample> all = ScriptedExamples.from(world, 20, "cb");
        TrainerConfig config = TrainerConfig.from(ConfigLoader.withOverrides(Map.of(
                "trainer.checkpoint.dir",
                checkpoints.toString(),
                "trainer.model.max-history",
                "20",
                "trainer.cycle.max-steps",
                "150",
                "trainer.cycle.holdout-fraction",
                "0.2",
                "trainer.training.batch-size",
                "32")));
        InMemoryExampleSource source = new InMemoryExampleSource();
        LocalCheckpointStore store = new LocalCheckpointStore(checkpoints, 5);
        double published = TrainerMetrics.CYCLES.labelValues("published").get();
        double gated = TrainerMetrics.CYCLES.labelValues("gated").get();
        double failed = TrainerMetrics.CYCLES.labelValues("failed").get();
        double examples = TrainerMetrics.EXAMPLES.get();
        long durations =
                TrainerMetrics.DURATION.collect().getDataPoints().get(0).getCount();

        int third = all.size() / 3;
        source.append(all.subList(0, third));
        CycleResult first = new CycleRunner(config, source, store, Device.cpu(), CycleHooks.NONE).runCycle("on-demand");
        assertThat(first.published()).isTrue();
        assertThat(TrainerMetrics.CYCLES.labelValues("published").get()).isEqualTo(published + 1);
        assertThat(TrainerMetrics.CONSECUTIVE_GATED.get()).isZero();
        assertThat(TrainerMetrics.RECALL_AT_10.get())
                .isEqualTo(first.candidate().recallAt10());
        assertThat(TrainerMetrics.EXAMPLES.get()).isEqualTo(examples + first.newExamples());
        assertThat(TrainerMetrics.LOSS.get()).isPositive();

        var checkpoint = store.read(first.version()).orElseThrow();
        Map<String, List<OfflineTableFile.Entry>> table;
        try (InputStream in = checkpoint.open(CheckpointLayout.OFFLINE_TABLE)) {
            table = OfflineTableFile.read(in);
        }
        assertThat(table).isNotEmpty();
        table.forEach((video, row) -> {
            assertThat(row).isNotEmpty().hasSizeLessThanOrEqualTo(20);
            assertThat(row)
                    .extracting(OfflineTableFile.Entry::videoId)
                    .doesNotContain(video)
                    .allMatch(world.sids()::containsKey);
        });

        source.append(all.subList(third, 2 * third));
        CycleHooks wreck = new CycleHooks() {
            @Override
            public void afterTraining(SidRecModel candidate, List<TrainingExample> trainedNew) {
                candidate
                        .block()
                        .getParameters()
                        .values()
                        .forEach(p -> p.getArray().muli(0));
            }
        };
        CycleResult refused = new CycleRunner(config, source, store, Device.cpu(), wreck).runCycle("on-demand");
        assertThat(refused.published()).isFalse();
        assertThat(TrainerMetrics.CYCLES.labelValues("gated").get()).isEqualTo(gated + 1);
        assertThat(TrainerMetrics.CONSECUTIVE_GATED.get()).isEqualTo(1);
        assertThat(store.read(refused.version()).orElseThrow().has(CheckpointLayout.OFFLINE_TABLE))
                .isFalse();

        source.append(all.subList(2 * third, all.size()));
        CycleHooks crash = new CycleHooks() {
            @Override
            public void afterTraining(SidRecModel candidate, List<TrainingExample> trainedNew) {
                throw new IllegalStateException("injected crash");
            }
        };
        assertThatThrownBy(() -> new CycleRunner(config, source, store, Device.cpu(), crash).runCycle("on-demand"))
                .hasMessage("injected crash");
        assertThat(TrainerMetrics.CYCLES.labelValues("failed").get()).isEqualTo(failed + 1);
        assertThat(TrainerMetrics.CONSECUTIVE_GATED.get()).isEqualTo(1);
        assertThat(TrainerMetrics.DURATION.collect().getDataPoints().get(0).getCount())
                .isEqualTo(durations + 3);
        assertThat(store.latest().orElseThrow().meta().version()).isEqualTo(refused.version());
    }
}
