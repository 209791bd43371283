package io.sidstream.trainer.cli;

import io.sidstream.core.cli.ConfigOptions;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.metrics.MetricsEndpoint;
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
        SidstreamConfig config = configOptions.loadForCluster("train");
        try (var metrics = MetricsEndpoint.start(config);
             TrainerService trainer = new TrainerService(config, Clock.systemUTC())) {
            if (once) {
                System.out.println(trainer.runOnce("on-demand"));
                return 0;
            }
            trainer.start();
            CountDownLatch stopped = new CountDownLatch(1);
            CountDownLatch closed = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stopped.countDown();
                try {
                    // the JVM must not halt before the cycle in progress has written its checkpoint
                    closed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "trainer-shutdown"));
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
