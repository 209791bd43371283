package io.sidstream.serving.cli;

import io.sidstream.core.cli.ConfigOptions;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.metrics.MetricsEndpoint;
import io.sidstream.serving.node.ServingService;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code sidstream serve}: a reference serving node against a Kafka cluster. It follows {@code trie-updates} and
 * {@code checkpoints} (each under supervision, restarted when it fails), loads every newer checkpoint of
 * {@code serving.model-name} in the background and swaps it in, and answers {@code POST /v1/recommend} on
 * {@code serving.port}; Prometheus metrics on {@code metrics.port}.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Reference serving node: follows checkpoints and SID-trie updates, answers POST /v1/recommend.")
public final class ServeCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Override
    public Integer call() throws Exception {
        SidstreamConfig config = configOptions.loadForCluster("serve");
        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            stopped.countDown();
                            try {
                                // the JVM must not halt while the node drains and closes the model
                                closed.await(30, java.util.concurrent.TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "serve-shutdown"));
        try (var metrics = MetricsEndpoint.start(config);
                ServingService node = ServingService.start(config, Clock.systemUTC())) {
            stopped.await();
        } finally {
            closed.countDown();
        }
        return 0;
    }
}
