package io.sidstream.trainer.cli;

import io.sidstream.core.cli.ConfigOptions;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.metrics.MetricsEndpoint;
import io.sidstream.schemas.TrainerCommand;
import io.sidstream.trainer.control.CycleRequestSender;
import io.sidstream.trainer.service.TrainerService;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sidstream train}: the cycle loop against a Kafka cluster: reads {@code training-examples}, trains, gates and
 * writes checkpoints to {@code trainer.checkpoint.dir}, announces the published ones on {@code checkpoints} and serves
 * its metrics on {@code metrics.port}. On demand: {@code --request-cycle} asks the running trainer for a cycle through
 * {@code trainer-control}; {@code --once} runs one cycle in this process and exits (when no trainer runs).
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description =
                "Incremental training cycles on the training-examples topic (schedule, data and on-demand triggers).")
public final class TrainCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--once", description = "Run one cycle now in this process and exit (no trainer may be running).")
    boolean once;

    @Option(
            names = "--request-cycle",
            description = "Ask the running trainer for a cycle (a request on trainer-control) and exit.")
    boolean requestCycle;

    @Option(names = "--reason", description = "With --request-cycle: why, for the trainer's log.")
    String reason;

    @Override
    public Integer call() throws InterruptedException, java.util.concurrent.ExecutionException {
        SidstreamConfig config = configOptions.loadForCluster("train");
        if (requestCycle) {
            TrainerCommand sent =
                    CycleRequestSender.send(config, System.getProperty("user.name", "cli"), reason, Clock.systemUTC());
            System.out.println(
                    "requested a cycle of model " + sent.getModelName() + " (request " + sent.getRequestId() + ")");
            return 0;
        }
        try (var metrics = MetricsEndpoint.start(config);
                TrainerService trainer = new TrainerService(config, Clock.systemUTC())) {
            if (once) {
                System.out.println(trainer.runOnce("on-demand"));
                return 0;
            }
            trainer.start();
            CountDownLatch stopped = new CountDownLatch(1);
            CountDownLatch closed = new CountDownLatch(1);
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                stopped.countDown();
                                try {
                                    // the JVM must not halt before the cycle in progress has written its checkpoint
                                    closed.await();
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            },
                            "trainer-shutdown"));
            try {
                stopped.await();
                trainer.close();
            } finally {
                closed.countDown();
            }
            return 0;
        }
    }
}
