package io.sidstream.bench.ingest;

import io.sidstream.core.bench.BenchReport;
import io.sidstream.core.cli.ConfigOptions;
import io.sidstream.ingest.gateway.GatewayConfig;
import io.sidstream.ingest.gateway.IngestGateway;
import io.sidstream.ingest.publish.EventPublisher;
import io.sidstream.ingest.publish.PublishConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sidstream bench gateway}: client threads in this process post batches of engagements to the gateway over
 * HTTP; every event is acknowledged by Kafka (acks=all) before its request is answered. Prints events/s and the
 * p50/p99 time from sending a request to its answer.
 */
@Command(
        name = "gateway",
        mixinStandardHelpOptions = true,
        description = "Ingest gateway throughput (events/s) and accept latency, batches of engagements, acks=all.")
public final class GatewayBench implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--seconds", description = "Sustained part of the run. Default: ${DEFAULT-VALUE}.")
    int seconds = 30;

    @Option(names = "--clients", description = "Concurrent HTTP clients. Default: ${DEFAULT-VALUE}.")
    int clients = 4;

    @Option(names = "--batch", description = "Engagements per request. Default: ${DEFAULT-VALUE}.")
    int batch = 100;

    @Override
    public Integer call() throws Exception {
        int warmupSeconds = Math.max(1, Math.min(5, seconds / 5));
        try (BenchKafka kafka = new BenchKafka(configOptions.load());
                EventPublisher publisher = new EventPublisher(
                        kafka.config().kafka(),
                        kafka.config().registry(),
                        PublishConfig.from(kafka.config().section("ingest")),
                        "bench-gateway");
                IngestGateway gateway = new IngestGateway(
                                GatewayConfig.from(kafka.config().section("ingest"))
                                        .withPort(0),
                                publisher)
                        .start()) {
            URI uri = URI.create("http://127.0.0.1:" + gateway.port() + "/v1/engagements");
            drive(uri, warmupSeconds, new Histogram(3_600_000_000L, 3), new AtomicLong(), new AtomicLong());
            Histogram latency = new Histogram(3_600_000_000L, 3);
            AtomicLong accepted = new AtomicLong();
            AtomicLong failedRequests = new AtomicLong();
            long started = System.nanoTime();
            drive(uri, seconds, latency, accepted, failedRequests);
            double elapsed = (System.nanoTime() - started) / 1e9;
            new BenchReport("gateway")
                    .setting("clients", clients)
                    .setting("events per request", batch)
                    .setting("seconds", seconds)
                    .setting("requests", latency.getTotalCount())
                    .setting("requests not fully accepted", failedRequests.get())
                    .figure("events_per_s", accepted.get() / elapsed)
                    .latencyMillis("accept", latency)
                    .print(System.out);
        }
        return 0;
    }

    private void drive(URI uri, int durationSeconds, Histogram latency, AtomicLong accepted, AtomicLong failed)
            throws InterruptedException {
        long end = System.nanoTime() + durationSeconds * 1_000_000_000L;
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread thread = new Thread(
                    () -> {
                        long sequence = 0;
                        while (System.nanoTime() < end) {
                            String body = body(client, sequence);
                            sequence += batch;
                            long sent = System.nanoTime();
                            try {
                                HttpResponse<String> response = http.send(
                                        HttpRequest.newBuilder(uri)
                                                .header("Content-Type", "application/json")
                                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString());
                                long micros = (System.nanoTime() - sent) / 1000;
                                synchronized (latency) {
                                    latency.recordValue(Math.min(micros, latency.getHighestTrackableValue()));
                                }
                                if (response.statusCode() == 200) {
                                    accepted.addAndGet(batch);
                                } else {
                                    failed.incrementAndGet();
                                }
                            } catch (java.io.IOException e) {
                                failed.incrementAndGet();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                return;
                            }
                        }
                    },
                    "bench-client-" + c);
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private String body(int client, long sequence) {
        long now = Instant.now().toEpochMilli();
        StringBuilder json = new StringBuilder(batch * 260).append('[');
        for (int i = 0; i < batch; i++) {
            long n = sequence + i;
            if (i > 0) {
                json.append(',');
            }
            json.append("{\"eventId\":\"bench-")
                    .append(client)
                    .append('-')
                    .append(n)
                    .append("\",\"userId\":\"u")
                    .append((n * 7919 + client) % 50_000)
                    .append("\",\"videoId\":\"v")
                    .append((n * 104_729) % 200_000)
                    .append("\",\"eventType\":\"WATCH\",\"watchTimeMs\":")
                    .append(30_000 + n % 60_000)
                    .append(
                            ",\"videoDurationMs\":120000,\"surface\":\"HOME\",\"device\":\"MOBILE\",\"country\":\"US\",\"eventTime\":")
                    .append(now)
                    .append('}');
        }
        return json.append(']').toString();
    }
}
