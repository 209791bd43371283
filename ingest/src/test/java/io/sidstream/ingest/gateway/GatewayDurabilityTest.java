package io.sidstream.ingest.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.testing.KafkaTestSupport;
import io.sidstream.ingest.publish.EventPublisher;
import io.sidstream.ingest.publish.PublishConfig;
import io.sidstream.ingest.testing.TopicReader;
import io.sidstream.schemas.Engagement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The broker goes away in the middle of a client's batch sequence and comes back on the same port and data: the
 * gateway answers 503 with Retry-After (never 200) while it is down, refuses further load with 429 instead of
 * queueing it, and once the client has resent what was not accepted, every event is on the topic exactly once.
 */
class GatewayDurabilityTest {

    private static final Clock CLOCK =
            Clock.fixed(Instant.ofEpochMilli(Events.NOW).plusSeconds(60), ZoneOffset.UTC);
    private static final int BATCHES = 12;
    private static final int BATCH_SIZE = 25;

    @Test
    void nothingIsLostOrWrittenTwiceWhenTheBrokerStopsMidBatch() throws Exception {
        try (KafkaTestSupport kafka = KafkaTestSupport.startWithCatalogTopics()) {
            SidstreamConfig config = kafka.config(Map.of(
                    "ingest.publish.delivery-timeout",
                    "3s",
                    "ingest.gateway.max-events-per-request",
                    "25",
                    "ingest.gateway.max-in-flight-events",
                    "25"));
            try (EventPublisher publisher = new EventPublisher(
                            config.kafka(),
                            config.registry(),
                            PublishConfig.from(config.section("ingest")),
                            "durability");
                    IngestGateway gateway = new IngestGateway(
                                    GatewayConfig.from(config.section("ingest")).withPort(0), publisher, CLOCK)
                            .start()) {
                HttpTestClient client = new HttpTestClient(gateway.port());
                Set<String> accepted = new LinkedHashSet<>();
                List<String> toResend = new ArrayList<>();
                AtomicInteger acceptedAnswers = new AtomicInteger();

                for (int b = 0; b < BATCHES; b++) {
                    if (b == BATCHES / 2) {
                        kafka.broker().stop();
                    }
                    List<String> ids = batchIds(b);
                    if (b == BATCHES / 2) {
                        // while one batch waits on the dead broker, a second one exceeds the in-flight budget: 429, not
                        // a queue
                        CompletableFuture<HttpTestClient.Response> waiting =
                                CompletableFuture.supplyAsync(() -> client.post("/v1/engagements", body(ids)));
                        org.awaitility.Awaitility.await()
                                .atMost(Duration.ofSeconds(10))
                                .until(() -> gateway.inFlightEvents() == BATCH_SIZE);
                        HttpTestClient.Response refused = client.post("/v1/engagements", body(batchIds(1000)));
                        assertThat(refused.status()).isEqualTo(429);
                        assertThat(refused.retryAfter()).contains("2");
                        toResend.addAll(batchIds(1000));
                        acceptedAnswers.addAndGet(record(waiting.get(), ids, accepted, toResend));
                        continue;
                    }
                    acceptedAnswers.addAndGet(
                            record(client.post("/v1/engagements", body(ids)), ids, accepted, toResend));
                    if (b > BATCHES / 2 && b == BATCHES / 2 + 2) {
                        break;
                    }
                }
                assertThat(accepted).as("accepted before the stop").hasSize(BATCHES / 2 * BATCH_SIZE);
                assertThat(toResend).as("refused while the broker was down").hasSize(4 * BATCH_SIZE);

                kafka.broker().start();
                for (int b = BATCHES / 2 + 3; b < BATCHES; b++) {
                    toResend.addAll(batchIds(b));
                }
                // the client resends what was not accepted, honouring Retry-After, until everything is in
                await().atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> {
                            while (!toResend.isEmpty()) {
                                List<String> chunk =
                                        new ArrayList<>(toResend.subList(0, Math.min(BATCH_SIZE, toResend.size())));
                                toResend.removeAll(chunk);
                                HttpTestClient.Response response = client.post("/v1/engagements", body(chunk));
                                acceptedAnswers.addAndGet(record(response, chunk, accepted, toResend));
                                if (response.status() != 200) {
                                    return false; // back off until the next poll
                                }
                            }
                            return true;
                        });

                Set<String> expected = new HashSet<>();
                for (int b = 0; b < BATCHES; b++) {
                    expected.addAll(batchIds(b));
                }
                expected.addAll(batchIds(1000));
                assertThat(accepted).containsExactlyInAnyOrderElementsOf(expected);
                assertThat(acceptedAnswers.get())
                        .as("each event answered accepted once")
                        .isEqualTo(expected.size());

                List<Engagement> onTopic = TopicReader.readToEnd(config, "engagements", Engagement.class);
                Map<String, Long> copies =
                        onTopic.stream().collect(Collectors.groupingBy(Engagement::getEventId, Collectors.counting()));
                assertThat(copies.keySet()).containsExactlyInAnyOrderElementsOf(expected);
                assertThat(copies)
                        .allSatisfy(
                                (id, n) -> assertThat(n).as("copies of " + id).isEqualTo(1L));
            }
        }
    }

    /** Adds accepted ids, queues the others for resending; returns how many were accepted. */
    private static int record(
            HttpTestClient.Response response, List<String> ids, Set<String> accepted, List<String> toResend) {
        if (response.status() == 429) {
            assertThat(response.retryAfter()).isPresent();
            toResend.addAll(ids);
            return 0;
        }
        assertThat(response.status()).as(response.body()).isIn(200, 503);
        if (response.status() == 503) {
            assertThat(response.retryAfter()).contains("2");
        }
        JsonNode results = response.json().get("results");
        int n = 0;
        for (int i = 0; i < ids.size(); i++) {
            JsonNode result = results.get(i);
            assertThat(result.get("id").asText()).isEqualTo(ids.get(i));
            if (result.get("status").asText().equals("accepted")) {
                assertThat(accepted.add(ids.get(i)))
                        .as("accepted twice: " + ids.get(i))
                        .isTrue();
                n++;
            } else {
                assertThat(result.get("status").asText()).isEqualTo("unavailable");
                assertThat(response.status()).isEqualTo(503);
                toResend.add(ids.get(i));
            }
        }
        return n;
    }

    private static List<String> batchIds(int batch) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < BATCH_SIZE; i++) {
            ids.add("d-" + batch + "-" + i);
        }
        return ids;
    }

    private static String body(List<String> ids) {
        return ids.stream()
                .map(id -> Events.engagement(id, "user-" + id.hashCode() % 7))
                .collect(Collectors.joining(",", "[", "]"));
    }
}
