package io.sidstream.serving.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sidstream.core.config.ConfigLoader;
import io.sidstream.schemas.CheckpointPublished;
import io.sidstream.serving.model.ModelHolder;
import io.sidstream.serving.model.VersionedTestModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServingNodeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant PUBLISHED = Instant.parse("2026-11-23T10:00:00Z");

    private final List<VersionedTestModel> loaded = new CopyOnWriteArrayList<>();
    private ModelHolder holder;
    private ServingNode node;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        holder = new ModelHolder(
                announcement -> {
                    if (announcement.getUri().contains("corrupt")) {
                        throw new IllegalStateException("model.params has sha256 0000, manifest says 1234");
                    }
                    Thread.sleep(30); // loading takes a while: requests keep flowing meanwhile
                    VersionedTestModel model =
                            new VersionedTestModel(announcement.getModelName(), announcement.getVersion(), PUBLISHED);
                    loaded.add(model);
                    return model;
                },
                Clock.systemUTC());
        node = new ServingNode(ServingNodeConfig.from(ConfigLoader.withOverrides(Map.of("serving.port", "0"))), holder)
                .start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        node.close();
        holder.close();
    }

    @Test
    void answers503BeforeTheFirstModelAndExplainsBadRequests() throws Exception {
        assertThat(post("{\"history\": [\"a\"]}").statusCode()).isEqualTo(503);
        holder.offer(announcement(1, "file:///ckpt/1")).get();

        HttpResponse<String> badK = post("{\"history\": [\"a\"], \"k\": 0}");
        assertThat(badK.statusCode()).isEqualTo(400);
        assertThat(badK.body()).contains("k must be an integer from 1 to 100");
        HttpResponse<String> badHistory = post("{\"history\": [\"a\", 3]}");
        assertThat(badHistory.statusCode()).isEqualTo(400);
        assertThat(badHistory.body()).contains("history must hold non-empty video id strings");
        assertThat(post("not json").statusCode()).isEqualTo(400);

        JsonNode ok = JSON.readTree(post("{\"history\": [\"a\"], \"k\": 3}").body());
        assertThat(ok.get("modelVersion").asLong()).isEqualTo(1);
        assertThat(ok.get("items")).hasSize(3);
    }

    @Test
    void swapsUnderConcurrentRequestsWithoutFailingOneAndEveryAnswerNamesItsVersion() throws Exception {
        holder.offer(announcement(1, "file:///ckpt/1")).get();
        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> versionsSeen = new ConcurrentLinkedQueue<>();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        for (int c = 0; c < 4; c++) {
            clients.submit(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> response = post("{\"history\": [\"a\", \"b\"], \"k\": 5}");
                        JsonNode body = JSON.readTree(response.body());
                        long version = body.get("modelVersion").asLong();
                        // the items come from the version the answer names
                        if (response.statusCode() != 200
                                || !body.at("/items/0/videoId").asText().startsWith("v" + version + "-")) {
                            failures.add(response.statusCode() + " " + response.body());
                        }
                        versionsSeen.add(version);
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            });
        }
        for (long version = 2; version <= 6; version++) {
            long previous = version - 1;
            await().atMost(Duration.ofSeconds(10)).until(() -> versionsSeen.contains(previous));
            holder.offer(announcement(version, "file:///ckpt/" + version)).get();
        }
        holder.offer(announcement(7, "file:///ckpt/corrupt-7")).get();
        int before = versionsSeen.size();
        await().atMost(Duration.ofSeconds(10)).until(() -> versionsSeen.size() > before + 20);
        running.set(false);
        clients.shutdown();
        assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        assertThat(failures).isEmpty();
        assertThat(versionsSeen).contains(1L, 2L, 3L, 4L, 5L, 6L).doesNotContain(7L);
        assertThat(holder.current())
                .hasValueSatisfying(info -> assertThat(info.version()).isEqualTo(6));
        assertThat(holder.lastRejection())
                .hasValueSatisfying(
                        reason -> assertThat(reason).contains("version 7").contains("sha256"));
        // every replaced model was closed once its last request finished; the serving one is open
        await().atMost(Duration.ofSeconds(5))
                .until(() -> loaded.stream().filter(VersionedTestModel::closed).count() == 5);
        assertThat(loaded.get(loaded.size() - 1).closed()).isFalse();
        JsonNode health = JSON.readTree(http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/healthz"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body());
        assertThat(health.get("modelVersion").asLong()).isEqualTo(6);
        assertThat(health.get("lastRejectedCheckpoint").asText()).contains("version 7");
    }

    /** Issue 23, finding 8: 500 with a stack trace for a big body, lenient parsing, 404 for a wrong method. */
    @Test
    void answers413ForBigBodies405ForWrongMethodsAndRefusesWhatTheContractDoesNotDefine() throws Exception {
        holder.offer(announcement(1, "file:///ckpt/1")).get();
        HttpResponse<String> big = post("{\"history\": [\"" + "a".repeat(1_100_000) + "\"]}");
        assertThat(big.statusCode()).as(big.body()).isEqualTo(413);
        assertThat(big.body()).contains("over the limit");

        HttpResponse<String> get = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/v1/recommend"))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);

        Map<String, String> refused = Map.of(
                "{\"history\": [\"a\"], \"beamwidth\": 5}", "unknown field beamwidth",
                "{\"context\": {\"surface\": \"hme\"}}", "context.surface 'hme' is not one of",
                "{\"context\": {\"device\": \"FRIDGE\"}}", "context.device 'FRIDGE' is not one of",
                "{\"context\": {\"country\": \"usa\"}}", "context.country must be",
                "{\"context\": {\"colour\": \"red\"}}", "unknown field context.colour",
                "{\"context\": [1]}", "context must be a JSON object",
                "{\"context\": {\"surface\": 3}}", "context.surface must be a string",
                "{\"k\": 3} {\"k\": 4}", "Trailing token",
                "{\"k\": 3, \"k\": 4}", "Duplicate field");
        for (Map.Entry<String, String> bad : refused.entrySet()) {
            HttpResponse<String> response = post(bad.getKey());
            assertThat(response.statusCode()).as(bad.getKey()).isEqualTo(400);
            assertThat(response.body()).as(bad.getKey()).contains(bad.getValue());
        }
        HttpResponse<String> good = post("{\"history\": [\"a\"], \"context\": {\"surface\": \"HOME\", "
                + "\"device\": \"MOBILE\", \"country\": \"US\", \"contextVideoId\": \"v9\"}}");
        assertThat(good.statusCode()).as(good.body()).isEqualTo(200);
    }

    @Test
    void exposesItsMetrics() throws Exception {
        holder.offer(announcement(1, "file:///ckpt/1")).get();
        post("{\"history\": [], \"k\": 2}");
        String metrics = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(metrics)
                .contains("sidstream_serving_request_latency_seconds_bucket")
                .contains("sidstream_serving_requests_total{outcome=\"popular\"}")
                .contains("sidstream_serving_model_age_seconds")
                .contains(
                        "sidstream_serving_model_info{codebook_version=\"cb1\",model=\"sidstream\",version=\"1\"} 1.0");
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/v1/recommend"))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/json")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static CheckpointPublished announcement(long version, String uri) {
        return CheckpointPublished.newBuilder()
                .setModelName("sidstream")
                .setVersion(version)
                .setUri(uri)
                .setManifestSha256("0".repeat(64))
                .setCodebookVersion("cb1")
                .setMetrics(Map.of())
                .setDataWatermark(PUBLISHED)
                .setSourceOffsets(Map.of())
                .setParentVersion(null)
                .setPublishedTime(PUBLISHED)
                .build();
    }
}
