package io.sidstream.ingest.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.testing.KafkaTestSupport;
import io.sidstream.core.testing.OpenApiContract;
import io.sidstream.core.testing.OpenApiContract.Call;
import io.sidstream.core.testing.OpenApiContract.Exchange;
import io.sidstream.ingest.publish.EventPublisher;
import io.sidstream.ingest.publish.PublishConfig;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The gateway against its OpenAPI document (openapi/ingest-gateway.yaml): every documented request and answer, the
 * error answers included, sent to a real gateway on an embedded broker and validated by the document. Ordered
 * because the Kafka outage (503, 429) stops the broker for good, and the last test checks that every documented
 * answer was provoked by one of the others.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayContractTest {

    private static final String TOKEN = "contract-test-token-0123456789";
    private static final Clock CLOCK =
            Clock.fixed(Instant.ofEpochMilli(Events.NOW).plusSeconds(60), ZoneOffset.UTC);
    private static final int MAX_EVENTS = 5;
    private static final OpenApiContract CONTRACT = OpenApiContract.fromResource(IngestGateway.OPENAPI_RESOURCE);

    private static KafkaTestSupport kafka;
    private static EventPublisher publisher;
    private static IngestGateway gateway;
    private static URI base;

    @BeforeAll
    static void start() {
        kafka = KafkaTestSupport.startWithCatalogTopics();
        // small limits so that 413 and 429 take small requests; a short delivery timeout so the outage answers soon
        SidstreamConfig config = kafka.config(Map.of(
                "ingest.embedding-dimension",
                "4",
                "ingest.publish.delivery-timeout",
                "3s",
                "ingest.gateway.max-request-size",
                "64KiB",
                "ingest.gateway.max-events-per-request",
                String.valueOf(MAX_EVENTS),
                "ingest.gateway.max-in-flight-events",
                String.valueOf(MAX_EVENTS),
                "ingest.gateway.auth-tokens",
                "[\"" + TOKEN + "\"]"));
        publisher = new EventPublisher(
                config.kafka(), config.registry(), PublishConfig.from(config.section("ingest")), "contract");
        gateway = new IngestGateway(GatewayConfig.from(config.section("ingest")).withPort(0), publisher, CLOCK).start();
        base = URI.create("http://127.0.0.1:" + gateway.port());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        publisher.close();
        kafka.close();
    }

    private static Exchange send(Call call) {
        return CONTRACT.send(base, call);
    }

    /** Per kind: a valid event with the given id, and one that misses a required field (which the reason names). */
    private enum Kind {
        UPLOADS("/v1/uploads", "creatorId"),
        ENGAGEMENTS("/v1/engagements", "userId"),
        REMOVALS("/v1/removals", "removedTime");

        final String path;
        final String requiredField;

        Kind(String path, String requiredField) {
            this.path = path;
            this.requiredField = requiredField;
        }

        String valid(String id) {
            return switch (this) {
                case UPLOADS -> Events.upload(id);
                case ENGAGEMENTS -> Events.engagement(id, "user-" + id);
                case REMOVALS ->
                    "{\"videoId\":\"" + id + "\",\"reason\":\"COPYRIGHT\",\"removedTime\":\""
                            + Instant.ofEpochMilli(Events.NOW) + "\"}";
            };
        }

        String missingRequiredField(String id) {
            String valid = valid(id);
            String value = "\"" + requiredField + "\":(\"[^\"]*\"|[0-9]+)";
            String without = valid.replaceAll(value + ",|," + value, "");
            assertThat(without).as("sample without " + requiredField).isNotEqualTo(valid);
            return without;
        }
    }

    @Test
    @Order(1)
    void servesItsOwnDocumentAndHealth() {
        Exchange served = send(Call.get("/openapi.yaml")).conforms(200);
        assertThat(served.body()).isEqualTo(CONTRACT.document());
        assertThat(served.header("Content-Type")).startsWith("application/yaml");
        send(Call.get("/livez")).conforms(200);
        assertThat(send(Call.get("/healthz")).conforms(200).body()).contains("\"kafka\":\"ok\"");
    }

    @Test
    @Order(2)
    void acceptsEachKindAsOneEventAnArrayOrNdjson() {
        for (Kind kind : Kind.values()) {
            String k = kind.name().toLowerCase();
            send(Call.json(kind.path, kind.valid(k + "-single")).bearer(TOKEN)).conforms(200);
            send(Call.json(kind.path, "[" + kind.valid(k + "-array-1") + "," + kind.valid(k + "-array-2") + "]")
                            .bearer(TOKEN))
                    .conforms(200);
            Exchange ndjson = send(Call.post(
                                    kind.path,
                                    "application/x-ndjson",
                                    kind.valid(k + "-nd-1") + "\n" + kind.valid(k + "-nd-2") + "\n")
                            .bearer(TOKEN))
                    .conforms(200);
            assertThat(ndjson.body()).contains("\"accepted\":2");
        }
    }

    @Test
    @Order(3)
    void rejectsAnInvalidEventWith400NamingTheField() {
        for (Kind kind : Kind.values()) {
            Exchange missing = send(Call.json(kind.path, kind.missingRequiredField("bad-" + kind.ordinal()))
                            .bearer(TOKEN))
                    .refused(400);
            assertThat(missing.body()).contains("missing required field " + kind.requiredField);
            // the body as a whole is unreadable: an error, and the body goes to the dead-letter topic
            Exchange unreadable =
                    send(Call.json(kind.path, "[{\"videoId\": ").bearer(TOKEN)).refused(400);
            assertThat(unreadable.body()).contains("\"deadLettered\":true");
        }
        String badEnum = Events.engagement("bad-enum", "u1").replace("\"WATCH\"", "\"BINGE\"");
        assertThat(send(Call.json("/v1/engagements", badEnum).bearer(TOKEN))
                        .refused(400)
                        .body())
                .contains("eventType 'BINGE' is not one of");
        String badId = Events.upload("bad-id").replace("\"creatorId\":\"c1\"", "\"creatorId\":\"has spaces\"");
        assertThat(send(Call.json("/v1/uploads", badId).bearer(TOKEN))
                        .refused(400)
                        .body())
                .contains("creatorId 'has spaces' is not a valid id");
        // a rule no schema states: the event time is past the allowed clock skew
        String future = Events.engagement("bad-future", "u1")
                .replace(String.valueOf(Events.NOW), String.valueOf(Events.NOW + 86_400_000L));
        assertThat(send(Call.json("/v1/engagements", future).bearer(TOKEN))
                        .answered(400)
                        .body())
                .contains("eventTime")
                .contains("is in the future");
    }

    @Test
    @Order(4)
    void acceptsTheValidAndRejectsTheInvalidEventsOfOneBatchWith207() {
        for (Kind kind : Kind.values()) {
            Exchange mixed = send(Call.post(
                                    kind.path,
                                    "application/x-ndjson",
                                    kind.valid("mixed-" + kind.ordinal()) + "\n"
                                            + kind.missingRequiredField("mixed-bad-" + kind.ordinal()) + "\n")
                            .bearer(TOKEN))
                    .conforms(207);
            assertThat(mixed.body()).contains("missing required field " + kind.requiredField);
        }
    }

    @Test
    @Order(5)
    void refusesMissingAndUnknownTokensWith401() {
        for (Kind kind : Kind.values()) {
            // the validator leaves security schemes to the server: the answer is what the document checks here
            Exchange none = send(Call.json(kind.path, kind.valid("no-token"))).answered(401);
            assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
            send(Call.json(kind.path, kind.valid("wrong-token")).bearer("not-a-known-token-000000"))
                    .answered(401);
        }
    }

    @Test
    @Order(6)
    void refusesTooLargeBodiesAndBatchesWith413() {
        for (Kind kind : Kind.values()) {
            String tooMany = IntStream.range(0, MAX_EVENTS + 1)
                    .mapToObj(i -> kind.valid("many-" + i))
                    .collect(Collectors.joining(",", "[", "]"));
            assertThat(send(Call.json(kind.path, tooMany).bearer(TOKEN))
                            .answered(413)
                            .body())
                    .contains("more than " + MAX_EVENTS + " events");
        }
        String huge = Events.upload("huge").replace("How to brew tea", "t".repeat(70 * 1024));
        assertThat(send(Call.json("/v1/uploads", huge).bearer(TOKEN))
                        .refused(413)
                        .body())
                .contains("over the limit");
    }

    @Test
    @Order(7)
    void answersWrongMethodsWith405() {
        for (Kind kind : Kind.values()) {
            send(Call.get(kind.path).bearer(TOKEN)).methodNotAllowed(CONTRACT.methods(kind.path));
        }
    }

    @Test
    @Order(8)
    void answers503WhileKafkaIsDownAnd429WhenTheInFlightBudgetIsFull() throws Exception {
        kafka.broker().stop();
        for (Kind kind : Kind.values()) {
            String batch = IntStream.range(0, MAX_EVENTS)
                    .mapToObj(i -> kind.valid("outage-" + kind.ordinal() + "-" + i))
                    .collect(Collectors.joining(",", "[", "]"));
            CompletableFuture<Exchange> waiting = CompletableFuture.supplyAsync(
                    () -> send(Call.json(kind.path, batch).bearer(TOKEN)));
            // the batch holds the whole budget while it waits on the dead broker: the next one is refused, not queued
            await().atMost(Duration.ofSeconds(10)).until(() -> gateway.inFlightEvents() == MAX_EVENTS);
            Exchange refused = send(Call.json(kind.path, kind.valid("refused-" + kind.ordinal()))
                            .bearer(TOKEN))
                    .conforms(429);
            assertThat(refused.header("Retry-After")).isEqualTo("2");

            Exchange unavailable = waiting.get().conforms(503);
            assertThat(unavailable.header("Retry-After")).isEqualTo("2");
            assertThat(unavailable.body())
                    .contains("\"status\":\"unavailable\"")
                    .contains("resend it");
        }
        assertThat(send(Call.get("/healthz")).conforms(200).body()).contains("\"kafka\":\"failing\"");
    }

    @Test
    @Order(9)
    void everyDocumentedAnswerWasProvoked() {
        // the gateway's metrics are registered by its first request, so they are scraped here, after the others
        assertThat(send(Call.get("/metrics")).conforms(200).body()).contains("sidstream_ingest_requests_total");
        CONTRACT.assertEveryDocumentedAnswerExercised();
    }
}
