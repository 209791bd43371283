package io.sidstream.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sidstream.core.config.ConfigLoader;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.topic.Topic;
import io.sidstream.platform.embedded.EmbeddedPlatform;
import io.sidstream.schemas.SidAssigned;
import io.sidstream.schemas.serde.AvroWireSerializer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus server (Debian's package) scrapes the running embedded platform, and a freshness metric of a
 * SID that went through the platform (trie publisher, serving node) comes back through Prometheus's HTTP API.
 */
class PrometheusEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void prometheusScrapesTheUploadToServableFreshnessOfTheRunningPlatform(@TempDir Path dir) throws Exception {
        SidstreamConfig configured = ConfigLoader.withOverrides(Map.of(
                "embedded.data-dir",
                dir.resolve("data").toString(),
                "embedded.kafka-port",
                "0",
                "embedded.controller-port",
                "0",
                "metrics.port",
                "0",
                "platform.status-port",
                "0",
                "publisher.trie.delta-interval",
                "200ms",
                "platform.run.jobs",
                "false",
                "platform.run.trainer",
                "false",
                "platform.run.gateway",
                "false",
                "platform.run.world",
                "false"));
        try (EmbeddedPlatform platform = EmbeddedPlatform.start(configured)) {
            int prometheusPort = freePort();
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, """
                    global:
                      scrape_interval: 1s
                    scrape_configs:
                      - job_name: sidstream
                        static_configs:
                          - targets: ["127.0.0.1:%d"]
                    """.formatted(platform.metricsPort()));
            Process prometheus = new ProcessBuilder(
                            "prometheus",
                            "--config.file=" + config,
                            "--storage.tsdb.path=" + dir.resolve("tsdb"),
                            "--web.listen-address=127.0.0.1:" + prometheusPort)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("prometheus.log").toFile())
                    .start();
            try (KafkaProducer<String, SidAssigned> producer = new KafkaProducer<>(
                    platform.config().kafka().producer("prometheus-e2e"),
                    new StringSerializer(),
                    AvroWireSerializer.create(platform.config().registry(), SidAssigned.class))) {
                AtomicInteger uploads = new AtomicInteger();
                String query = "sum(sidstream_freshness_lag_seconds_count{stage=\"upload_to_servable\"})";
                await().atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> {
                            // a fresh upload's SID every second until Prometheus has seen one become servable
                            String video = "video-" + uploads.incrementAndGet();
                            producer.send(new ProducerRecord<>(
                                    Topic.SID_ASSIGNMENTS.topicName(),
                                    video,
                                    new SidAssigned(
                                            video,
                                            List.of(1, 2, uploads.get() % 256, 0),
                                            "cb1",
                                            "test",
                                            Instant.now(),
                                            Instant.now())));
                            producer.flush();
                            return value(prometheusPort, query) > 0;
                        });
                JsonNode targets = get(prometheusPort, "/api/v1/targets");
                assertThat(targets.at("/data/activeTargets/0/health").asText()).isEqualTo("up");
                assertThat(value(prometheusPort, "sidstream_trie_entries{codebook_version=\"cb1\"}"))
                        .isPositive();
            } finally {
                prometheus.destroy();
                prometheus.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    private static double value(int port, String query) throws Exception {
        JsonNode result;
        try {
            result = get(port, "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        } catch (java.io.IOException notUpYet) {
            return 0;
        }
        JsonNode first = result.at("/data/result/0/value/1");
        return first.isMissingNode() ? 0 : Double.parseDouble(first.asText());
    }

    private static JsonNode get(int port, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
