package io.sidstream.trainer.cli;

import ai.djl.Device;
import io.sidstream.core.cli.ConfigOptions;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.metrics.MetricsEndpoint;
import io.sidstream.publisher.checkpoint.CheckpointAnnouncer;
import io.sidstream.trainer.publish.AnnouncingHooks;
import io.sidstream.trainer.publish.OfflineTable;
import io.sidstream.trainer.TrainerConfig;
import io.sidstream.trainer.checkpoint.LocalCheckpointStore;
import io.sidstream.trainer.cycle.CycleResult;
import io.sidstream.trainer.cycle.CycleRunner;
import io.sidstream.trainer.cycle.CycleScheduler;
import io.sidstream.trainer.data.KafkaExampleSource;
import io.sidstream.trainer.model.DeviceSelector;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sidstream train}: the cycle loop against a Kafka cluster: reads {@code training-examples}, trains, gates and
 * writes checkpoints to {@code trainer.checkpoint.dir}, announces the published ones on {@code checkpoints} and serves
 * its metrics on {@code metrics.port}. {@code --once} runs one cycle now and exits (the on-demand
 * trigger from the command line).
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Incremental training cycles on the training-examples topic (schedule, data and on-demand triggers).")
public final class TrainCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--once", description = "Run one cycle now and exit.")
    boolean once;

    @Override
    public Integer call() throws InterruptedException {
        SidstreamConfig config = configOptions.load();
        if (config.embeddedKafka()) {
            throw new IllegalArgumentException("sidstream train needs a running cluster: start one with ./sidstream up or "
                    + "set kafka.bootstrap.servers");
        }
        TrainerConfig trainer = TrainerConfig.from(config);
        Device device = DeviceSelector.select(trainer.device());
        LocalCheckpointStore store = new LocalCheckpointStore(trainer.checkpointDir(), trainer.checkpointRetain());
        try (KafkaExampleSource source = new KafkaExampleSource(config, trainer.cycle().groupId(),
                trainer.cycle().pollTimeout());
             CheckpointAnnouncer announcer = CheckpointAnnouncer.from(config, Clock.systemUTC());
             var metrics = MetricsEndpoint.start(config)) {
            AnnouncingHooks hooks = new AnnouncingHooks(store, announcer);
            // a version published just before a crash may never have been announced
            hooks.announceLatestPublished();
            CycleRunner runner = new CycleRunner(trainer, source, store, device, hooks, OfflineTable.Settings.from(config));
            if (once) {
                CycleResult result = runner.runCycle("on-demand");
                System.out.println(result);
                return 0;
            }
            CycleScheduler scheduler = new CycleScheduler(runner, trainer.cycle().interval(),
                    trainer.cycle().minNewExamples(), trainer.cycle().checkInterval(),
                    CycleScheduler.pendingAfterLatest(store, source), Clock.systemUTC());
            CountDownLatch done = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                scheduler.stop();
                try {
                    done.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "trainer-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                scheduler.run();
            } finally {
                done.countDown();
            }
            return 0;
        }
    }
}
