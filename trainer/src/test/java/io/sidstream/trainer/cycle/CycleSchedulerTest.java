package io.sidstream.trainer.cycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.djl.Device;
import io.sidstream.core.config.ConfigLoader;
import io.sidstream.model.checkpoint.LocalCheckpointStore;
import io.sidstream.schemas.TrainingExample;
import io.sidstream.trainer.ScriptedExamples;
import io.sidstream.trainer.TrainerConfig;
import io.sidstream.trainer.data.InMemoryExampleSource;
import io.sidstream.trainer.eval.ScriptedWorld;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CycleSchedulerTest {

    @Test
    void startsCyclesOnDataOnDemandAndOnSchedule(@TempDir Path checkpoints) throws InterruptedException {
        List<TrainingExample> all = ScriptedExamples.from(
                new ScriptedWorld(new ScriptedWorld.Params(4, 4, 1, 2, 20, 4, 0.9, 256, 3, 64, 2)), 10, "cb");
        TrainerConfig config = TrainerConfig.from(ConfigLoader.withOverrides(Map.of(
                "trainer.checkpoint.dir",
                checkpoints.toString(),
                "trainer.model.max-history",
                "10",
                "trainer.model.d-model",
                "16",
                "trainer.model.ffn-dim",
                "32",
                "trainer.cycle.max-steps",
                "2")));
        InMemoryExampleSource source = new InMemoryExampleSource();
        LocalCheckpointStore store = new LocalCheckpointStore(checkpoints, 5);
        CycleRunner runner = new CycleRunner(config, source, store, Device.cpu(), CycleHooks.NONE);
        CycleScheduler scheduler = new CycleScheduler(
                runner,
                Duration.ofHours(1),
                30,
                Duration.ofMillis(50),
                CycleScheduler.pendingAfterLatest(store, source),
                Clock.systemUTC());
        Thread thread = new Thread(scheduler, "scheduler-test");
        thread.start();
        try {
            source.append(all.subList(0, 10));
            // 10 < 30 waiting: no data trigger, for as long as a few checks every 50 ms take
            await().during(Duration.ofMillis(300))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> scheduler.results().isEmpty());

            source.append(all.subList(10, 40));
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> scheduler.results().size() == 1);
            assertThat(scheduler.results().get(0).trigger()).isEqualTo("data");
            assertThat(scheduler.results().get(0).newExamples()).isEqualTo(40);

            source.append(all.subList(40, 45));
            scheduler.requestCycle();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> scheduler.results().size() == 2);
            assertThat(scheduler.results().get(1).trigger()).isEqualTo("on-demand");
            assertThat(scheduler.results().get(1).newExamples()).isEqualTo(5);
        } finally {
            scheduler.stop();
            thread.join(30_000);
        }
        assertThat(thread.isAlive()).isFalse();
        assertThat(scheduler.failures()).isZero();

        CycleScheduler scheduled = new CycleScheduler(
                runner, Duration.ofMillis(100), 0, Duration.ofMillis(20), () -> 0, Clock.systemUTC());
        Thread second = new Thread(scheduled, "scheduler-test-2");
        source.append(all.subList(45, 50));
        second.start();
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> !scheduled.results().isEmpty());
            assertThat(scheduled.results().get(0).trigger()).isEqualTo("schedule");
            assertThat(scheduled.results().get(0).newExamples()).isEqualTo(5);
        } finally {
            scheduled.stop();
            second.join(30_000);
        }
    }
}
