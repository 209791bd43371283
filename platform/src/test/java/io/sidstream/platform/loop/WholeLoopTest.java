package io.sidstream.platform.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sidstream.core.config.ConfigLoader;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.topic.Topic;
import io.sidstream.platform.cli.UpCommand;
import io.sidstream.platform.embedded.EmbeddedPlatform;
import io.sidstream.schemas.SidAssigned;
import io.sidstream.schemas.TrainingExample;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop of {@code sidstream up} on the synthetic world, as a newcomer would see it: SIDs assigned, examples
 * flowing, training cycles completing, a checkpoint published and loaded by the serving node, recommendations for a
 * user, an upload through the gateway getting its SID, freshness exported. Then a stop and a start on the same data
 * directory: the world, the jobs and the trainer continue, and no SID or example is written twice.
 */
class WholeLoopTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void theLoopRunsAndResumesAfterARestart(@TempDir Path dir) throws Exception {
        SidstreamConfig configured = upConfig(dir);
        int checkpointsBefore;
        int sidsBefore;
        int examplesBefore;
        try (EmbeddedPlatform platform = EmbeddedPlatform.start(configured)) {
            // the world's space, and the text encoder's (issue 23, finding 3: without it text-only uploads waited for
            // a SID forever); the world's, the larger, last: the trainer follows the newest codebook
            assertThat(platform.bootstrapCodebooks()).hasSize(2);
            assertThat(platform.bootstrapCodebooks().get(0)).startsWith("all-minilm-l6-v2-q-");
            assertThat(platform.bootstrapCodebooks().get(1)).startsWith("sidstream-synthetic-384-");
            SidstreamConfig config = platform.config();

            // the world's initial catalogue gets its SIDs, and engagements become examples
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(2))
                    .until(() -> count(config, Topic.SID_ASSIGNMENTS) >= 2000
                            && count(config, Topic.TRAINING_EXAMPLES) > 500);

            // an upload through the gateway is assigned a SID like the world's
            String uploaded = "gateway-video-" + UUID.randomUUID();
            HttpResponse<String> accepted =
                    post("http://127.0.0.1:" + platform.gatewayPort().orElseThrow() + "/v1/uploads", upload(uploaded));
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
            // and one without an embedding, whose text sid-assign embeds
            String textOnly = "gateway-text-video-" + UUID.randomUUID();
            HttpResponse<String> acceptedText = post(
                    "http://127.0.0.1:" + platform.gatewayPort().orElseThrow() + "/v1/uploads",
                    "{\"videoId\":\"" + textOnly + "\",\"creatorId\":\"c1\",\"title\":\"How to brew "
                            + "green tea at home\",\"tags\":[\"tea\",\"cooking\"],\"durationMs\":120000,\"uploadTime\":\""
                            + java.time.Instant.now() + "\"}");
            assertThat(acceptedText.statusCode()).as(acceptedText.body()).isEqualTo(200);

            // two cycles, a published checkpoint, loaded by the serving node
            await().atMost(Duration.ofMinutes(5))
                    .pollInterval(Duration.ofSeconds(2))
                    .until(() ->
                            platform.trainer().orElseThrow().store().versions().size() >= 2
                                    && platform.serving()
                                            .orElseThrow()
                                            .models()
                                            .current()
                                            .isPresent());
            assertThat(read(config, Topic.SID_ASSIGNMENTS, SidAssigned.class))
                    .extracting(SidAssigned::getVideoId)
                    .contains(uploaded, textOnly);

            // recommendations for a user of the world, with titles, through the status page and the serving node
            String status = get("http://127.0.0.1:" + platform.statusPort() + "/api/status");
            String user = JSON.readTree(status)
                    .path("serving")
                    .path("try users")
                    .asText()
                    .split(", ")[0];
            assertThat(user).isNotBlank();
            JsonNode answer =
                    JSON.readTree(get("http://127.0.0.1:" + platform.statusPort() + "/api/recommend?user=" + user));
            assertThat(answer.path("history").size()).isPositive();
            assertThat(answer.path("items").size()).as(answer.toString()).isEqualTo(10);
            assertThat(answer.path("items").get(0).path("title").asText()).isNotBlank();
            List<String> history = new ArrayList<>();
            answer.path("history")
                    .forEach(item -> history.add(item.path("videoId").asText()));
            HttpResponse<String> served = post(
                    "http://127.0.0.1:" + platform.serving().orElseThrow().port() + "/v1/recommend",
                    JSON.writeValueAsString(Map.of("history", history, "k", 5)));
            assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
            assertThat(JSON.readTree(served.body()).path("items").size()).isEqualTo(5);

            // freshness of every stage this loop runs, on the one metrics endpoint
            String metrics = get("http://127.0.0.1:" + platform.metricsPort() + "/metrics");
            for (String stage : List.of(
                    "upload_to_sid",
                    "sid_to_servable",
                    "upload_to_servable",
                    "engagement_to_example",
                    "example_to_checkpoint",
                    "checkpoint_to_serving")) {
                assertThat(metrics)
                        .containsPattern("sidstream_freshness_lag_seconds_count\\{stage=\"" + stage + "\"} [1-9]");
            }
            checkpointsBefore =
                    platform.trainer().orElseThrow().store().versions().size();
            sidsBefore = count(config, Topic.SID_ASSIGNMENTS);
            examplesBefore = count(config, Topic.TRAINING_EXAMPLES);
        }

        try (EmbeddedPlatform platform = EmbeddedPlatform.start(configured)) {
            SidstreamConfig config = platform.config();
            assertThat(platform.bootstrapCodebooks())
                    .as("the codebook is on the topic already")
                    .isEmpty();
            // the world goes on, and the jobs resume from their checkpoints
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(2))
                    .until(() -> count(config, Topic.SID_ASSIGNMENTS) > sidsBefore + 5
                            && count(config, Topic.TRAINING_EXAMPLES) > examplesBefore + 500);
            // the serving node loads the newest published checkpoint again, and the trainer keeps its versions
            await().atMost(Duration.ofMinutes(1))
                    .until(() ->
                            platform.serving().orElseThrow().models().current().isPresent());
            assertThat(platform.trainer().orElseThrow().store().versions())
                    .hasSizeGreaterThanOrEqualTo(checkpointsBefore);
            // a cycle asked for on the status page goes through trainer-control and runs
            HttpResponse<String> requested =
                    post("http://127.0.0.1:" + platform.statusPort() + "/api/trainer/cycle", "");
            assertThat(requested.statusCode()).as(requested.body()).isEqualTo(202);
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> platform.trainer().orElseThrow().results().stream()
                            .anyMatch(r -> r.trigger().equals("on-demand")));

            List<SidAssigned> sids = read(config, Topic.SID_ASSIGNMENTS, SidAssigned.class);
            assertThat(duplicates(sids.stream().map(SidAssigned::getVideoId).toList()))
                    .as("videos assigned twice")
                    .isEmpty();
            List<TrainingExample> examples = read(config, Topic.TRAINING_EXAMPLES, TrainingExample.class);
            assertThat(duplicates(
                            examples.stream().map(TrainingExample::getExampleId).toList()))
                    .as("examples written twice")
                    .isEmpty();
        }
    }

    private static SidstreamConfig upConfig(Path dir) {
        Map<String, String> settings = LoopTestSupport.embeddedSettings(dir);
        settings.put("platform.status-sample-interval", "1s");
        // cycles as short as a test can wait for
        settings.put("trainer.cycle.interval", "30s");
        settings.put("trainer.cycle.min-new-examples", "800");
        settings.put("trainer.cycle.max-time", "10s");
        settings.put("trainer.cycle.check-interval", "2s");
        return ConfigLoader.load(
                Optional.empty(),
                Map.of(),
                settings,
                com.typesafe.config.ConfigFactory.parseResources(UpCommand.class.getClassLoader(), UpCommand.PROFILE));
    }

    private static String upload(String videoId) {
        SplittableRandom random = new SplittableRandom(5);
        double[] v =
                IntStream.range(0, 384).mapToDouble(i -> random.nextGaussian()).toArray();
        double norm = Math.sqrt(java.util.Arrays.stream(v).map(x -> x * x).sum());
        String embedding = java.util.Arrays.stream(v)
                .mapToObj(x -> String.valueOf((float) (x / norm)))
                .collect(Collectors.joining(","));
        return "{\"videoId\":\"" + videoId + "\",\"creatorId\":\"c1\",\"title\":\"How to brew tea\",\"tags\":[\"tea\"],"
                + "\"durationMs\":120000,\"uploadTime\":\"" + java.time.Instant.now() + "\","
                + "\"contentEmbedding\":[" + embedding + "],\"embeddingModel\":\"sidstream-synthetic-384\"}";
    }

    private static List<String> duplicates(List<String> ids) {
        return ids.stream().collect(Collectors.groupingBy(id -> id, Collectors.counting())).entrySet().stream()
                .filter(e -> e.getValue() > 1)
                .map(Map.Entry::getKey)
                .toList();
    }

    private static int count(SidstreamConfig config, Topic topic) {
        return LoopTestSupport.read(config, topic, topic.valueType().asSubclass(SpecificRecord.class))
                .size();
    }

    private static <V extends SpecificRecord> List<V> read(SidstreamConfig config, Topic topic, Class<V> type) {
        return LoopTestSupport.read(config, topic, type);
    }

    private static String get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static HttpResponse<String> post(String url, String body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
