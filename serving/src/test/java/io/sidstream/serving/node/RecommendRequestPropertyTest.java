package io.sidstream.serving.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sidstream.core.config.ConfigLoader;
import io.sidstream.core.testing.JsonArbitraries;
import io.sidstream.serving.model.ModelHolder;
import io.sidstream.serving.model.VersionedTestModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The fault suite's fuzzing of {@code POST /v1/recommend} (issue 23): whatever the body, the node answers 200 or a
 * 4xx with a reason, never a 5xx.
 */
class RecommendRequestPropertyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static ModelHolder holder;
    private static ServingNode node;

    @BeforeContainer
    static void start() throws Exception {
        holder = new ModelHolder(
                announcement -> new VersionedTestModel(
                        announcement.getModelName(), announcement.getVersion(), Instant.parse("2026-11-23T10:00:00Z")),
                Clock.systemUTC());
        holder.offer(ServingNodeTest.announcement(1, "file:///ckpt/1")).get();
        node = new ServingNode(ServingNodeConfig.from(ConfigLoader.withOverrides(Map.of("serving.port", "0"))), holder)
                .start();
    }

    @AfterContainer
    static void stop() throws InterruptedException {
        node.close();
        holder.close();
    }

    @Property(tries = 300, seed = "23")
    void everyBodyGetsAnAnswerOrAReasonNeverAServerError(@ForAll("requests") String body) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/v1/recommend"))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/json")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(body).isIn(200, 400, 413);
        JsonNode answer = JSON.readTree(response.body());
        if (response.statusCode() == 200) {
            assertThat(answer.get("items")).as(body).isNotEmpty();
        } else {
            assertThat(answer.get("error").asText()).as(body).isNotBlank();
        }
    }

    @Provide
    Arbitrary<String> requests() {
        Arbitrary<Object> ids = JsonArbitraries.strings().map(s -> (Object) s);
        Arbitrary<Object> context = JsonArbitraries.objectsLike(Map.of(
                "surface", Arbitraries.of("HOME", "SHORTS", "hme").map(s -> (Object) s),
                "device", Arbitraries.of("MOBILE", "TV", "FRIDGE").map(s -> (Object) s),
                "country", Arbitraries.of("US", "DE", "usa").map(s -> (Object) s),
                "contextVideoId", ids));
        return JsonArbitraries.bodies(JsonArbitraries.objectsLike(Map.of(
                "history", ids.list().ofMaxSize(60).map(l -> (Object) l),
                "k", Arbitraries.integers().between(-1, 120).map(i -> (Object) i),
                "beamWidth", Arbitraries.integers().between(-1, 120).map(i -> (Object) i),
                "context", context)));
    }
}
