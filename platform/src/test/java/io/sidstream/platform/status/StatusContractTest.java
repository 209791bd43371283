package io.sidstream.platform.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.sidstream.core.metrics.FreshnessLag;
import io.sidstream.core.testing.KafkaTestSupport;
import io.sidstream.core.testing.OpenApiContract;
import io.sidstream.core.testing.OpenApiContract.Call;
import io.sidstream.core.testing.OpenApiContract.Exchange;
import io.sidstream.platform.embedded.TopicActivity;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The status page's API against its OpenAPI document (openapi/status.yaml): the real status server and sampler
 * (topic totals from an embedded broker), with sources shaped as the embedded platform's (EmbeddedStatusSources) that a test can switch off, so the answers
 * for a process without a trainer or serving node are provoked too.
 */
class StatusContractTest {

    private final OpenApiContract contract = OpenApiContract.fromResource(StatusServer.OPENAPI_RESOURCE);
    private final AtomicBoolean partsRunning = new AtomicBoolean(true);
    private final AtomicInteger requests = new AtomicInteger();
    private KafkaTestSupport kafka;
    private StatusSampler sampler;
    private StatusServer server;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        StatusSources sources = new StatusSources() {
            @Override
            public List<Map<String, Object>> trainingCycles() {
                Map<String, Object> cycle = new LinkedHashMap<>();
                cycle.put("cycle", 1);
                cycle.put("finished", 1_767_225_600_000L);
                cycle.put("loss", 3.25);
                cycle.put("recallAt10", null);
                cycle.put("outcome", "published");
                cycle.put("version", 1L);
                return List.of(cycle);
            }

            @Override
            public Map<String, Object> trainer() {
                return Map.of("state", "idle", "failures in a row", 0);
            }

            @Override
            public Map<String, Object> serving() {
                return Map.of("model version", 1L, "codebook", "cb1", "model age (s)", 12.5, "try users", "u1, u2");
            }

            @Override
            public Optional<String> requestTrainingCycle(String reason) {
                return partsRunning.get() ? Optional.of("request-" + requests.incrementAndGet()) : Optional.empty();
            }

            @Override
            public boolean cycleEndedSince(long requestedAtMillis) {
                return true;
            }

            @Override
            public Optional<Map<String, Object>> recommend(String userId, int k) {
                if (!partsRunning.get()) {
                    return Optional.empty();
                }
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("user", userId);
                answer.put("history", List.of(Map.of("videoId", "v1", "title", "How to brew tea")));
                answer.put("modelVersion", 1L);
                answer.put("source", "model");
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("videoId", "v2");
                item.put("title", null);
                item.put("score", -0.5);
                answer.put("items", List.of(item));
                return Optional.of(answer);
            }
        };
        kafka = KafkaTestSupport.startWithCatalogTopics();
        sampler = new StatusSampler(new TopicActivity(kafka.admin()), Clock.systemUTC());
        // two samples around an observation, so the freshness, throughput and totals all have points to validate
        sampler.sample();
        FreshnessLag.record(FreshnessLag.Stage.values()[0], Duration.ofMillis(800));
        sampler.sample();
        server = new StatusServer(sampler, sources, Clock.systemUTC()).start("127.0.0.1", 0);
        base = URI.create("http://127.0.0.1:" + server.port());
    }

    @AfterEach
    void stop() {
        server.close();
        sampler.close();
        kafka.close();
    }

    private Exchange send(Call call) {
        return contract.send(base, call);
    }

    @Test
    void everyDocumentedRequestAndAnswer() {
        assertThat(send(Call.get("/openapi.yaml")).conforms(200).body()).isEqualTo(contract.document());

        Exchange status = send(Call.get("/api/status")).conforms(200);
        assertThat(status.body())
                .contains("\"freshness\":{\"")
                .contains("\"throughput\":{\"checkpoints\":[[")
                .contains("\"training\":[{\"cycle\":1");

        assertThat(send(Call.get("/api/recommend?user=u1")).conforms(200).body())
                .contains("\"videoId\":\"v2\"");
        assertThat(send(Call.get("/api/recommend")).refused(400).body()).contains("give a user id");

        String self = base.toString().replaceAll("/$", "");
        assertThat(send(Call.json("/api/trainer/cycle", "{}")
                                .header("Origin", self)
                                .header("Sec-Fetch-Site", "same-origin"))
                        .conforms(202)
                        .body())
                .contains("request-1");
        assertThat(send(Call.post("/api/trainer/cycle", "text/plain", "{}"))
                        .refused(415)
                        .body())
                .contains("Content-Type must be application/json");
        assertThat(send(Call.json("/api/trainer/cycle", "{}").header("Sec-Fetch-Site", "cross-site"))
                        .refused(403)
                        .body())
                .contains("cross-site");
        // an Origin header names any origin as far as a schema can tell: only the server knows its own
        assertThat(send(Call.json("/api/trainer/cycle", "{}").header("Origin", "https://evil.example"))
                        .answered(403)
                        .body())
                .contains("https://evil.example");
        send(Call.get("/api/trainer/cycle")).methodNotAllowed(contract.methods("/api/trainer/cycle"));

        partsRunning.set(false);
        assertThat(send(Call.get("/api/recommend?user=u1")).conforms(503).body())
                .contains("no serving node");
        assertThat(send(Call.json("/api/trainer/cycle", "{}")).conforms(503).body())
                .contains("no trainer");

        contract.assertEveryDocumentedAnswerExercised();
    }
}
