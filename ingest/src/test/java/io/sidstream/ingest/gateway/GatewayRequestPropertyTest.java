package io.sidstream.ingest.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.testing.JsonArbitraries;
import io.sidstream.core.testing.KafkaTestSupport;
import io.sidstream.ingest.publish.EventPublisher;
import io.sidstream.ingest.publish.PublishConfig;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The fault suite's fuzzing of the ingest gateway (issue 23): every body, for every kind of event, gets a 2xx or a 4xx
 * with a reason for every event it rejects, never a 5xx; and exactly the events answered {@code accepted} are written
 * to the topic (nothing rejected is).
 */
class GatewayRequestPropertyTest {

    private static KafkaTestSupport kafka;
    private static EventPublisher publisher;
    private static IngestGateway gateway;
    private static HttpTestClient client;
    private static KafkaConsumer<byte[], byte[]> offsets;

    @BeforeContainer
    static void start() {
        kafka = KafkaTestSupport.startWithCatalogTopics();
        SidstreamConfig config = kafka.config(Map.of(
                "ingest.embedding-dimension",
                "4",
                "ingest.gateway.max-events-per-request",
                "5",
                "ingest.gateway.max-in-flight-events",
                "100",
                "ingest.gateway.max-request-size",
                "64KiB"));
        publisher = new EventPublisher(
                config.kafka(), config.registry(), PublishConfig.from(config.section("ingest")), "fuzz");
        Clock clock = Clock.fixed(Instant.ofEpochMilli(Events.NOW).plusSeconds(60), ZoneOffset.UTC);
        gateway = new IngestGateway(GatewayConfig.from(config.section("ingest")).withPort(0), publisher, clock).start();
        client = new HttpTestClient(gateway.port());
        offsets = new KafkaConsumer<>(
                config.kafka().consumer("fuzz-offsets"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterContainer
    static void stop() {
        offsets.close();
        gateway.close();
        publisher.close();
        kafka.close();
    }

    @Property(tries = 300, seed = "23")
    void everyEventIsAcceptedAndWrittenOrRejectedWithAReasonAndNotWritten(
            @ForAll IngestKind kind, @ForAll("bodies") String body) {
        long before = written(kind);
        HttpTestClient.Response response = client.post(kind.path(), body);
        long after = written(kind);

        assertThat(response.status()).as(body).isIn(200, 207, 400, 413);
        JsonNode answer = response.json();
        JsonNode results = answer.path("results");
        if (results.isMissingNode()) {
            assertThat(answer.get("error").asText()).as(body).isNotBlank();
            assertThat(after - before).as("events written for " + body).isZero();
            return;
        }
        long accepted = 0;
        for (JsonNode result : results) {
            switch (result.get("status").asText()) {
                case EventResult.ACCEPTED -> {
                    accepted++;
                    assertThat(result.has("offset")).as(body).isTrue();
                }
                case EventResult.REJECTED -> {
                    assertThat(result.get("reason").asText()).as(body).isNotBlank();
                    assertThat(result.get("deadLettered").asBoolean()).as(body).isTrue();
                }
                default -> throw new AssertionError("unexpected result " + result + " for " + body);
            }
        }
        assertThat(answer.get("accepted").asLong()).isEqualTo(accepted);
        assertThat(after - before).as("events written for " + body).isEqualTo(accepted);
    }

    /** Records on the kind's topic (no transactions: the end offsets count them). */
    private static long written(IngestKind kind) {
        String topic = kind.topic().topicName();
        List<TopicPartition> partitions = offsets.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        return offsets.endOffsets(partitions).values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<Object> ids = Arbitraries.oneOf(
                        Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(10),
                        JsonArbitraries.strings())
                .map(s -> (Object) s);
        Arbitrary<Object> times = Arbitraries.oneOf(
                Arbitraries.just((Object) Events.NOW),
                Arbitraries.just((Object) "2026-01-01T00:00:00Z"),
                JsonArbitraries.numbers());
        Arbitrary<Object> text = JsonArbitraries.strings().map(s -> (Object) s);
        Arbitrary<Object> embedding = Arbitraries.floats()
                .between(-1, 1)
                .list()
                .ofMinSize(3)
                .ofMaxSize(5)
                .map(l -> (Object) l);
        Arbitrary<Object> upload = JsonArbitraries.objectsLike(Map.of(
                "videoId",
                ids,
                "creatorId",
                ids,
                "title",
                text,
                "description",
                text,
                "tags",
                text.list().ofMaxSize(3).map(l -> (Object) l),
                "language",
                Arbitraries.of("en", "pt-BR", "x").map(s -> (Object) s),
                "durationMs",
                Arbitraries.longs().between(-1, 200_000).map(l -> (Object) l),
                "uploadTime",
                times,
                "contentEmbedding",
                embedding,
                "embeddingModel",
                Arbitraries.of("test-4d", "").map(s -> (Object) s)));
        Arbitrary<Object> engagement = JsonArbitraries.objectsLike(Map.ofEntries(
                Map.entry("eventId", ids),
                Map.entry("userId", ids),
                Map.entry("videoId", ids),
                Map.entry("eventType", Arbitraries.of("WATCH", "LIKE", "BINGE").map(s -> (Object) s)),
                Map.entry(
                        "watchTimeMs", Arbitraries.longs().between(-1, 100_000).map(l -> (Object) l)),
                Map.entry(
                        "videoDurationMs",
                        Arbitraries.longs().between(-1, 100_000).map(l -> (Object) l)),
                Map.entry("surface", Arbitraries.of("HOME", "hme").map(s -> (Object) s)),
                Map.entry("device", Arbitraries.of("MOBILE", "FRIDGE").map(s -> (Object) s)),
                Map.entry("country", Arbitraries.of("US", "usa").map(s -> (Object) s)),
                Map.entry("eventTime", times),
                Map.entry("contextVideoId", ids)));
        Arbitrary<Object> removal = JsonArbitraries.objectsLike(Map.of(
                "videoId",
                ids,
                "reason",
                Arbitraries.of("COPYRIGHT", "OTHER", "BORED").map(s -> (Object) s),
                "removedTime",
                times));
        Arbitrary<Object> anyEvent = Arbitraries.oneOf(upload, engagement, removal);
        // NDJSON: several events of a request, one per line
        Arbitrary<String> ndjson = anyEvent.map(JsonArbitraries::write)
                .list()
                .ofMinSize(2)
                .ofMaxSize(6)
                .map(lines -> String.join("\n", lines));
        return Arbitraries.oneOf(
                JsonArbitraries.bodies(anyEvent),
                ndjson,
                Arbitraries.integers()
                        .between(1, 3)
                        .map(n -> IntStream.range(0, n)
                                .mapToObj(i -> Events.upload("fuzz-" + i))
                                .reduce("", (a, b) -> a + b)));
    }
}
