package io.sidstream.serving.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.sidstream.core.config.ConfigLoader;
import io.sidstream.core.testing.OpenApiContract;
import io.sidstream.core.testing.OpenApiContract.Call;
import io.sidstream.core.testing.OpenApiContract.Exchange;
import io.sidstream.serving.model.ModelHolder;
import io.sidstream.serving.model.ServingModel;
import io.sidstream.serving.model.VersionedTestModel;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The serving node against its OpenAPI document (openapi/serving.yaml): a real node and model holder, with a
 * stand-in model (the model itself is tested in the trainer and platform), sent every documented request and error,
 * each exchange validated by the document.
 */
class ServingContractTest {

    private static final Instant PUBLISHED = Instant.parse("2026-11-23T10:00:00Z");
    /** A history item the stand-in model fails on, for the documented 500. */
    private static final String POISON = "fails-in-the-model";

    private final OpenApiContract contract = OpenApiContract.fromResource(ServingNode.OPENAPI_RESOURCE);
    private ModelHolder holder;
    private ServingNode node;
    private URI base;

    @BeforeEach
    void start() {
        holder = new ModelHolder(
                announcement -> {
                    ServingModel model =
                            new VersionedTestModel(announcement.getModelName(), announcement.getVersion(), PUBLISHED);
                    return new ServingModel() {
                        @Override
                        public Info info() {
                            return model.info();
                        }

                        @Override
                        public Result recommend(Query query, int k, int beamWidth) {
                            if (query.history().contains(POISON)) {
                                throw new IllegalStateException("decoding failed");
                            }
                            return model.recommend(query, k, beamWidth);
                        }

                        @Override
                        public void close() {
                            model.close();
                        }
                    };
                },
                Clock.systemUTC());
        node = new ServingNode(ServingNodeConfig.from(ConfigLoader.withOverrides(Map.of("serving.port", "0"))), holder)
                .start();
        base = URI.create("http://127.0.0.1:" + node.port());
    }

    @AfterEach
    void stop() throws InterruptedException {
        node.close();
        holder.close();
    }

    private Exchange send(Call call) {
        return contract.send(base, call);
    }

    @Test
    void everyDocumentedRequestAndAnswer() throws Exception {
        Exchange served = send(Call.get("/openapi.yaml")).conforms(200);
        assertThat(served.body()).isEqualTo(contract.document());
        send(Call.get("/livez")).conforms(200);

        // before the first model: not ready, and recommendations are refused with Retry-After
        assertThat(send(Call.get("/healthz")).conforms(503).body()).contains("\"status\":\"loading\"");
        Exchange notYet =
                send(Call.json("/v1/recommend", "{\"history\": [\"a\"]}")).conforms(503);
        assertThat(notYet.header("Retry-After")).isEqualTo("5");

        holder.offer(ServingNodeTest.announcement(1, "file:///ckpt/1")).get();
        assertThat(send(Call.get("/healthz")).conforms(200).body()).contains("\"modelVersion\":1");

        Exchange full = send(Call.json(
                        "/v1/recommend",
                        "{\"history\": [\"a\", \"b\"], \"k\": 3, \"beamWidth\": 8, "
                                + "\"context\": {\"surface\": \"HOME\", \"device\": \"MOBILE\", \"country\": \"US\", "
                                + "\"contextVideoId\": \"v9\"}}"))
                .conforms(200);
        assertThat(full.body()).contains("\"modelVersion\":1").contains("\"source\":\"model\"");
        assertThat(send(Call.json("/v1/recommend", "{}")).conforms(200).body()).contains("\"source\":\"popular\"");

        // errors the document states itself: the validator refuses the request as the node does
        assertThat(send(Call.json("/v1/recommend", "{\"history\": [\"a\"], \"beamwidth\": 5}"))
                        .refused(400)
                        .body())
                .contains("unknown field beamwidth");
        assertThat(send(Call.json("/v1/recommend", "{\"context\": {\"surface\": \"hme\"}}"))
                        .refused(400)
                        .body())
                .contains("context.surface 'hme' is not one of");
        assertThat(send(Call.json("/v1/recommend", "{\"context\": {\"country\": \"usa\"}}"))
                        .refused(400)
                        .body())
                .contains("context.country");
        assertThat(send(Call.json("/v1/recommend", "{\"history\": [\"a\"], \"k\": 0}"))
                        .refused(400)
                        .body())
                .contains("k must be an integer from 1 to 100");
        send(Call.json("/v1/recommend", "not json")).refused(400);
        // and one it leaves to the configuration: k above serving.max-k
        assertThat(send(Call.json("/v1/recommend", "{\"k\": 101}"))
                        .answered(400)
                        .body())
                .contains("k must be an integer from 1 to 100");

        assertThat(send(Call.json("/v1/recommend", "{\"history\": [\"" + "a".repeat(1_100_000) + "\"]}"))
                        .answered(413)
                        .body())
                .contains("over the limit");
        assertThat(send(Call.json("/v1/recommend", "{\"history\": [\"" + POISON + "\"]}"))
                        .conforms(500)
                        .body())
                .contains("recommendation failed");
        send(Call.get("/v1/recommend")).methodNotAllowed(contract.methods("/v1/recommend"));

        assertThat(send(Call.get("/metrics")).conforms(200).body()).contains("sidstream_serving_requests_total");
        contract.assertEveryDocumentedAnswerExercised();
    }
}
