package io.sidstream.ingest.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.testing.KafkaTestSupport;
import io.sidstream.ingest.publish.EventPublisher;
import io.sidstream.ingest.publish.PublishConfig;
import io.sidstream.ingest.testing.TopicReader;
import io.sidstream.schemas.DeadLetter;
import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.EventType;
import io.sidstream.schemas.RemovalReason;
import io.sidstream.schemas.VideoRemoved;
import io.sidstream.schemas.VideoUploaded;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IngestGatewayTest {

    private static final String TOKEN = "a-very-secret-token-0123456789";
    private static final Clock CLOCK =
            Clock.fixed(Instant.ofEpochMilli(Events.NOW).plusSeconds(60), ZoneOffset.UTC);

    private static KafkaTestSupport kafka;
    private static EventPublisher publisher;
    private static IngestGateway gateway;
    private static IngestGateway securedGateway;
    private static HttpTestClient client;
    private static HttpTestClient securedClient;

    @BeforeAll
    static void start() {
        kafka = KafkaTestSupport.startWithCatalogTopics();
        SidstreamConfig config = kafka.config(Map.of(
                "ingest.embedding-dimension",
                "4",
                "ingest.gateway.max-events-per-request",
                "20",
                "ingest.gateway.max-in-flight-events",
                "100"));
        publisher = new EventPublisher(
                config.kafka(), config.registry(), PublishConfig.from(config.section("ingest")), "test");
        GatewayConfig gatewayConfig =
                GatewayConfig.from(config.section("ingest")).withPort(0);
        gateway = new IngestGateway(gatewayConfig, publisher, CLOCK).start();
        GatewayConfig secured = new GatewayConfig(
                "127.0.0.1",
                0,
                gatewayConfig.maxRequestBytes(),
                20,
                100,
                Duration.ofSeconds(2),
                Duration.ofHours(1),
                List.of(TOKEN),
                4);
        securedGateway = new IngestGateway(secured, publisher, CLOCK).start();
        client = new HttpTestClient(gateway.port());
        securedClient = new HttpTestClient(securedGateway.port());
    }

    @AfterAll
    static void stop() {
        securedGateway.close();
        gateway.close();
        publisher.close();
        kafka.close();
    }

    @Test
    void acceptsBatchesAsJsonArrayNdjsonAndSingleEvents() {
        HttpTestClient.Response array = client.post(
                "/v1/engagements",
                "[" + Events.engagement("ok-1", "alice") + ",\n " + Events.engagement("ok-2", "bob") + "]");
        HttpTestClient.Response ndjson =
                client.post("/v1/uploads", Events.upload("vid-1") + "\n" + Events.upload("vid-2") + "\n");
        HttpTestClient.Response single = client.post(
                "/v1/removals", "{\"videoId\":\"vid-0\",\"reason\":\"COPYRIGHT\",\"removedTime\":" + Events.NOW + "}");

        assertThat(array.status()).as(array.body()).isEqualTo(200);
        assertThat(array.json().get("accepted").asInt()).isEqualTo(2);
        assertThat(ids(array.json())).containsExactly("ok-1", "ok-2");
        assertThat(ndjson.status()).as(ndjson.body()).isEqualTo(200);
        assertThat(single.status()).as(single.body()).isEqualTo(200);

        List<ConsumerRecord<String, Engagement>> engagements =
                kafka.readAll("engagements", Engagement.class, 2, Duration.ofSeconds(20));
        assertThat(engagements)
                .filteredOn(r -> r.value().getEventId().startsWith("ok-"))
                .extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder("alice", "bob");
        Engagement first = engagements.stream()
                .filter(r -> r.value().getEventId().equals("ok-1"))
                .findFirst()
                .orElseThrow()
                .value();
        assertThat(first.getEventType()).isEqualTo(EventType.WATCH);
        assertThat(first.getEventTime()).isEqualTo(Instant.ofEpochMilli(Events.NOW));

        List<VideoUploaded> uploads = TopicReader.readToEnd(
                kafka.config(),
                "video-uploads",
                VideoUploaded.class,
                v -> v.getVideoId().startsWith("vid-"));
        assertThat(uploads).extracting(VideoUploaded::getVideoId).containsExactlyInAnyOrder("vid-1", "vid-2");
        assertThat(uploads.get(0).getContentEmbedding()).containsExactly(0.1f, 0.2f, 0.3f, 0.4f);
        List<ConsumerRecord<String, VideoRemoved>> removals =
                kafka.readAll("video-removals", VideoRemoved.class, 1, Duration.ofSeconds(20));
        assertThat(removals).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("vid-0");
            assertThat(r.value().getReason()).isEqualTo(RemovalReason.COPYRIGHT);
        });
    }

    @Test
    void rejectsEachKindOfBadEventWithItsReasonAndADeadLetter() {
        String valid = Events.engagement("good-1", "carol");
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put(valid.replace("\"userId\":\"carol\",", ""), "missing required field userId");
        bad.put(
                valid.replace("good-1", "bad-enum").replace("\"WATCH\"", "\"BINGE\""),
                "eventType 'BINGE' is not one of");
        bad.put(valid.replace("good-1", "bad-range").replace("30000", "-5"), "watchTimeMs is -5, must be between 0");
        bad.put(valid.replace("good-1", "bad id with spaces"), "eventId 'bad id with spaces' is not a valid id");
        bad.put(
                valid.replace("good-1", "bad-country").replace("\"US\"", "\"usa\""),
                "country 'usa' is not an upper-case");
        bad.put(
                valid.replace("good-1", "bad-future")
                        .replace(String.valueOf(Events.NOW), String.valueOf(Events.NOW + 86_400_000L)),
                "is in the future");
        bad.put(
                valid.replace("good-1", "bad-seconds")
                        .replace(String.valueOf(Events.NOW), String.valueOf(Events.NOW / 1000)),
                "before 1990");
        bad.put(
                valid.replace("good-1", "bad-unknown").replace("}", ",\"colour\":\"red\"}"),
                "unknown field(s) [colour]");
        bad.put("{\"eventId\": \"broken\", ", "is not valid JSON");
        bad.put("[1,2]", "an event must be a JSON object");

        StringBuilder ndjson = new StringBuilder(valid).append('\n');
        bad.keySet().forEach(line -> ndjson.append(line).append('\n'));
        HttpTestClient.Response response = client.post("/v1/engagements", ndjson.toString());

        assertThat(response.status()).as(response.body()).isEqualTo(207);
        JsonNode json = response.json();
        assertThat(json.get("accepted").asInt()).isEqualTo(1);
        assertThat(json.get("rejected").asInt()).isEqualTo(bad.size());
        List<String> reasons = new ArrayList<>(bad.values());
        for (int i = 0; i < reasons.size(); i++) {
            JsonNode result = json.get("results").get(i + 1);
            assertThat(result.get("status").asText()).isEqualTo("rejected");
            assertThat(result.get("reason").asText()).contains(reasons.get(i));
            assertThat(result.get("deadLettered").asBoolean()).isTrue();
        }

        List<String> lines = new ArrayList<>(bad.keySet());
        List<DeadLetter> letters = TopicReader.readToEnd(
                kafka.config(), "engagements.dlq", DeadLetter.class, l -> lines.contains(text(l.getPayload())));
        assertThat(letters).hasSize(bad.size());
        for (int i = 0; i < lines.size(); i++) {
            DeadLetter letter = letters.get(i);
            assertThat(text(letter.getPayload())).isEqualTo(lines.get(i));
            assertThat(letter.getReason()).contains(reasons.get(i));
            assertThat(letter.getStage()).isEqualTo("ingest-gateway");
            assertThat(letter.getSourceTopic()).isEqualTo("engagements");
            assertThat(letter.getErrorClass()).isIn("INVALID_EVENT", "UNPARSEABLE_EVENT");
        }
    }

    @Test
    void checksUploadEmbeddings() {
        String valid = Events.upload("emb-ok");
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put(
                valid.replace("emb-ok", "emb-dim").replace("[0.1,0.2,0.3,0.4]", "[0.1,0.2,0.3]"),
                "contentEmbedding has dimension 3, expected 4");
        bad.put(
                valid.replace("emb-ok", "emb-inf").replace("0.4]", "1e39]"),
                "contentEmbedding[3] is not a finite 32-bit float");
        bad.put(
                valid.replace("emb-ok", "emb-zero").replace("[0.1,0.2,0.3,0.4]", "[0,0,0,0]"),
                "contentEmbedding is all zeros");
        bad.put(
                valid.replace("emb-ok", "emb-model").replace(",\"embeddingModel\":\"test-4d\"", ""),
                "embeddingModel is required");
        bad.put(valid.replace("emb-ok", "emb-duration").replace("120000", "0"), "durationMs is 0");
        bad.put(valid.replace("emb-ok", "emb-title").replace("How to brew tea", " "), "title must not be empty");

        String body = "[" + valid + "," + String.join(",", bad.keySet()) + "]";
        JsonNode json = client.post("/v1/uploads", body).json();

        assertThat(json.get("accepted").asInt()).isEqualTo(1);
        List<String> reasons = new ArrayList<>(bad.values());
        for (int i = 0; i < reasons.size(); i++) {
            assertThat(json.get("results").get(i + 1).get("reason").asText()).contains(reasons.get(i));
        }
    }

    /** Issue 23, finding 8: a lone surrogate was stored as '?', and an engagement's result named its video id. */
    @Test
    void refusesLoneSurrogatesAndNamesARejectedEngagementByItsEventIdOnly() {
        String surrogate = Events.upload("sur-1").replace("How to brew tea", "How to \\ud800 brew tea");
        String tag = Events.upload("sur-2").replace("[\"tea\"]", "[\"\\udc00\"]");
        String pair = Events.upload("sur-ok").replace("How to brew tea", "How to brew \\ud83c\\udf75");
        JsonNode uploads = client.post("/v1/uploads", "[" + surrogate + "," + tag + "," + pair + "]")
                .json();
        assertThat(uploads.get("results").get(0).get("reason").asText())
                .contains("title holds a lone UTF-16 surrogate");
        assertThat(uploads.get("results").get(1).get("reason").asText()).contains("tags holds a lone UTF-16 surrogate");
        assertThat(uploads.get("results").get(2).get("status").asText()).isEqualTo("accepted");
        assertThat(TopicReader.readToEnd(
                        kafka.config(),
                        "video-uploads",
                        VideoUploaded.class,
                        u -> u.getVideoId().equals("sur-ok")))
                .singleElement()
                .satisfies(u -> assertThat(u.getTitle()).isEqualTo("How to brew \ud83c\udf75"));

        String noEventId = Events.engagement("gone", "gina").replace("\"eventId\":\"gone\",", "");
        JsonNode engagement =
                client.post("/v1/engagements", noEventId).json().get("results").get(0);
        assertThat(engagement.get("status").asText()).isEqualTo("rejected");
        assertThat(engagement.get("reason").asText()).contains("missing required field eventId");
        assertThat(engagement.has("id"))
                .as("the video id is not the event's id")
                .isFalse();
        JsonNode badUpload = client.post("/v1/uploads", Events.upload("named-1").replace("120000", "0"))
                .json();
        assertThat(badUpload.get("results").get(0).get("id").asText()).isEqualTo("named-1");
    }

    @Test
    void unreadableBodiesAreRejectedWholeAndKept() {
        HttpTestClient.Response response = client.post("/v1/removals", "[{\"videoId\": \"x\"");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("error").asText()).contains("not valid JSON");
        List<DeadLetter> letters = TopicReader.readToEnd(kafka.config(), "video-removals.dlq", DeadLetter.class);
        assertThat(letters).singleElement().satisfies(letter -> {
            assertThat(text(letter.getPayload())).isEqualTo("[{\"videoId\": \"x\"");
            assertThat(letter.getErrorClass()).isEqualTo("UNPARSEABLE_REQUEST");
        });
    }

    @Test
    void refusesBatchesOverTheEventLimit() {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 21; i++) {
            body.append(i == 0 ? "" : ",").append(Events.engagement("limit-" + i, "dave"));
        }
        HttpTestClient.Response response =
                client.post("/v1/engagements", body.append(']').toString());

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.json().get("error").asText()).contains("more than 20 events");
    }

    @Test
    void bearerTokensGuardTheIngestPaths() {
        assertThat(securedClient
                        .post("/v1/engagements", Events.engagement("auth-1", "erin"))
                        .status())
                .isEqualTo(401);
        assertThat(securedClient
                        .post("/v1/engagements", Events.engagement("auth-2", "erin"), "wrong-token-wrong-token")
                        .status())
                .isEqualTo(401);
        assertThat(securedClient
                        .post("/v1/engagements", Events.engagement("auth-3", "erin"), TOKEN)
                        .status())
                .isEqualTo(200);
        assertThat(securedClient.get("/healthz").status()).isEqualTo(200);
    }

    @Test
    void exposesHealthAndPrometheusMetrics() {
        client.post("/v1/engagements", Events.engagement("metrics-1", "frank"));

        HttpTestClient.Response health = client.get("/healthz");
        HttpTestClient.Response metrics = client.get("/metrics");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asText()).isEqualTo("ok");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("sidstream_ingest_events_total{kind=\"engagements\",outcome=\"accepted\"}")
                .contains("sidstream_ingest_accept_latency_seconds_bucket");
    }

    private static List<String> ids(JsonNode response) {
        List<String> ids = new ArrayList<>();
        response.get("results").forEach(r -> ids.add(r.get("id").asText()));
        return ids;
    }

    private static String text(ByteBuffer buffer) {
        return StandardCharsets.UTF_8.decode(buffer.duplicate()).toString();
    }
}
