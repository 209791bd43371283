package io.sidstream.ingest.cli;

import io.sidstream.core.cli.ConfigOptions;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.ingest.gateway.GatewayConfig;
import io.sidstream.ingest.gateway.IngestGateway;
import io.sidstream.ingest.publish.EventPublisher;
import io.sidstream.ingest.publish.PublishConfig;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sidstream gateway}: the HTTP ingest gateway alone, against a configured cluster. */
@Command(
        name = "gateway",
        mixinStandardHelpOptions = true,
        description = "Run the HTTP ingest gateway (POST /v1/uploads, /v1/engagements, /v1/removals; /healthz, "
                + "/metrics) against the configured Kafka cluster until stopped.")
public final class GatewayCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Override
    public Integer call() throws Exception {
        SidstreamConfig config = configOptions.load();
        config.requireCluster("gateway");
        GatewayConfig gatewayConfig = GatewayConfig.from(config.section("ingest"));
        CountDownLatch closed = new CountDownLatch(1);
        EventPublisher publisher = new EventPublisher(
                config.kafka(), config.registry(), PublishConfig.from(config.section("ingest")), "gateway");
        IngestGateway gateway = new IngestGateway(gatewayConfig, publisher).start();
        // on Ctrl-C: stop taking requests first, then let the producer deliver what it holds, then exit
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                gateway.close();
                                publisher.close();
                            } finally {
                                closed.countDown();
                            }
                        },
                        "gateway-shutdown"));
        System.out.printf("ingest gateway on http://%s:%d (Ctrl-C to stop)%n", gatewayConfig.host(), gateway.port());
        closed.await();
        return 0;
    }
}
