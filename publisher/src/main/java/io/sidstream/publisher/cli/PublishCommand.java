package io.sidstream.publisher.cli;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.sidstream.core.cli.ConfigOptions;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.metrics.MetricsEndpoint;
import io.sidstream.core.service.Supervised;
import io.sidstream.publisher.trie.TriePublisher;
import io.sidstream.publisher.trie.TriePublisherConfig;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The trie publisher as its own process against a configured cluster, until stopped. */
@Command(
        name = "publish",
        mixinStandardHelpOptions = true,
        description = "Publish SID-trie snapshots and deltas from sid-assignments and video-removals to trie-updates, "
                + "against the configured cluster, until stopped (SIGTERM/Ctrl-C).")
public final class PublishCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Override
    public Integer call() throws InterruptedException {
        SidstreamConfig config = configOptions.loadForCluster("publish");
        TriePublisherConfig trie = TriePublisherConfig.from(config);
        CountDownLatch stopped = new CountDownLatch(1);
        try (HTTPServer metrics = MetricsEndpoint.start(config);
                Supervised publisher = new Supervised("trie-publisher", () -> {
                            TriePublisher run = new TriePublisher(config, trie, Clock.systemUTC());
                            return Supervised.Part.of(run, run::stop);
                        })
                        .start()) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "publish-shutdown"));
            stopped.await();
        }
        return 0;
    }
}
