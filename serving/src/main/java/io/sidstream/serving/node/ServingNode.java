package io.sidstream.serving.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.sidstream.core.http.OpenApiDocument;
import io.sidstream.core.http.RefusedBodies;
import io.sidstream.core.metrics.MetricsScrape;
import io.sidstream.serving.model.ModelHolder;
import io.sidstream.serving.model.ServingModel;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference serving node's HTTP API: {@code POST /v1/recommend} answers a user's top-k videos from the current
 * model, naming the version that served it; {@code /healthz} says whether a model is loaded and what failed last
 * (readiness), {@code /livez} only that the node answers (liveness);
 * {@code /metrics} is Prometheus's text format; {@code /openapi.yaml} is the API's contract.
 */
public final class ServingNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServingNode.class);
    /** Strict: content after the object and a field given twice are errors, not silently dropped. */
    private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    static final Counter REQUESTS = Counter.builder()
            .name("sidstream_serving_requests_total")
            .help("Recommendation requests, by outcome (model, fallback, popular, bad_request, unavailable, error).")
            .labelNames("outcome")
            .register();
    static final Histogram LATENCY = Histogram.builder()
            .name("sidstream_serving_request_latency_seconds")
            .help("Time to answer a recommendation request, parsing and decoding included.")
            .classicUpperBounds(0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5)
            .register();

    /** A request is a short history and a context: a megabyte is far past any real one. */
    static final long MAX_BODY_BYTES = 1_000_000L;

    /** The serving node's OpenAPI document (class-path resource), served at {@link OpenApiDocument#PATH}. */
    public static final String OPENAPI_RESOURCE = "openapi/serving.yaml";

    private final byte[] openApi = OpenApiDocument.load(OPENAPI_RESOURCE);
    private final ServingNodeConfig config;
    private final ModelHolder models;
    private Javalin app;

    public ServingNode(ServingNodeConfig config, ModelHolder models) {
        this.config = config;
        this.models = models;
    }

    public ServingNode start() {
        app = Javalin.create(cfg -> {
                    cfg.startup.showJavalinBanner = false;
                    cfg.startup.showOldJavalinVersionWarning = false;
                    cfg.http.maxRequestSize = MAX_BODY_BYTES;
                    // a path that exists with another method is a 405 with Allow, not a 404 that sends a client looking
                    // for it
                    cfg.http.prefer405over404 = true;
                    cfg.routes.post("/v1/recommend", this::recommend);
                    cfg.routes.get("/healthz", this::health);
                    // liveness: the node answers HTTP; /healthz is readiness (503 until a model is loaded), and a
                    // liveness
                    // probe on it would restart a fleet that has no checkpoint yet in a loop
                    cfg.routes.get(
                            "/livez", ctx -> ctx.contentType("application/json").result("{\"status\":\"alive\"}"));
                    cfg.routes.get(
                            "/metrics",
                            ctx -> ctx.contentType(MetricsScrape.contentType()).result(MetricsScrape.scrape()));
                    cfg.routes.get(
                            OpenApiDocument.PATH,
                            ctx -> ctx.contentType(OpenApiDocument.CONTENT_TYPE).result(openApi));
                })
                .start(config.host(), config.port());
        LOG.info("serving node {} listening on {}:{}", config.nodeId(), config.host(), app.port());
        return this;
    }

    public int port() {
        return app.port();
    }

    private void recommend(Context ctx) throws IOException {
        long started = System.nanoTime();
        try {
            if (ctx.contentLength() > MAX_BODY_BYTES) {
                RefusedBodies.drain(ctx.req().getInputStream(), ctx.contentLength());
                answer(
                        ctx,
                        413,
                        "bad_request",
                        error("request body of " + ctx.contentLength() + " bytes is over the limit of " + MAX_BODY_BYTES
                                + " bytes"));
                return;
            }
            RecommendRequest request;
            try {
                request = RecommendRequest.parse(JSON.readTree(ctx.bodyAsBytes()), config);
            } catch (HttpResponseException e) {
                // a chunked body that grew past the limit while read
                answer(ctx, e.getStatus(), "bad_request", error(e.getMessage()));
                return;
            } catch (IOException | IllegalArgumentException e) {
                answer(ctx, 400, "bad_request", error(e.getMessage()));
                return;
            }
            Optional<ModelHolder.Lease> lease = models.acquire();
            if (lease.isEmpty()) {
                ctx.header("Retry-After", "5");
                answer(ctx, 503, "unavailable", error("no model loaded yet"));
                return;
            }
            try (ModelHolder.Lease held = lease.get()) {
                ServingModel model = held.model();
                ServingModel.Result result = model.recommend(request.query(), request.k(), request.beamWidth());
                ObjectNode body = JSON.createObjectNode();
                body.put("modelVersion", model.info().version());
                body.put("codebookVersion", model.info().codebookVersion());
                body.put("source", result.source());
                ArrayNode items = body.putArray("items");
                result.items()
                        .forEach(item ->
                                items.addObject().put("videoId", item.videoId()).put("score", item.score()));
                answer(ctx, 200, result.source(), body);
            }
        } catch (RuntimeException e) {
            LOG.warn("recommendation failed", e);
            answer(ctx, 500, "error", error("recommendation failed: " + e.getMessage()));
        } finally {
            LATENCY.observe((System.nanoTime() - started) / 1e9);
        }
    }

    private void health(Context ctx) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        Optional<ServingModel.Info> current = models.current();
        body.put("status", current.isPresent() ? "ok" : "loading");
        current.ifPresent(info -> body.put("modelVersion", info.version())
                .put("codebookVersion", info.codebookVersion())
                .put("publishedTime", info.publishedTime().toString()));
        models.lastRejection().ifPresent(reason -> body.put("lastRejectedCheckpoint", reason));
        ctx.status(current.isPresent() ? 200 : 503)
                .contentType("application/json")
                .result(JSON.writeValueAsBytes(body));
    }

    private static void answer(Context ctx, int status, String outcome, JsonNode body) throws IOException {
        REQUESTS.labelValues(outcome).inc();
        ctx.status(status).contentType("application/json").result(JSON.writeValueAsBytes(body));
    }

    private static JsonNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }

    @Override
    public void close() {
        if (app != null) {
            app.stop();
        }
    }
}
