package io.sidstream.platform.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.sidstream.core.http.OpenApiDocument;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status page: {@code /} is a page of live charts (freshness per stage, throughput per topic), training
 * cycles (and a button that asks the trainer for one now: {@code POST /api/trainer/cycle}), the serving model, and a
 * box that asks the serving node for a user's recommendations; {@code /api/status} is the JSON it draws from, and
 * {@code /openapi.yaml} the contract of these endpoints.
 */
public final class StatusServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StatusServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The page's API as an OpenAPI document (class-path resource), served at {@link OpenApiDocument#PATH}. */
    public static final String OPENAPI_RESOURCE = "openapi/status.yaml";

    private final byte[] openApi = OpenApiDocument.load(OPENAPI_RESOURCE);
    private final StatusSampler sampler;
    private final StatusSources sources;
    private final Clock clock;
    private Javalin app;
    /** The last cycle request this page sent, until a cycle ends after it. */
    private PendingRequest pendingRequest;

    public StatusServer(StatusSampler sampler, StatusSources sources, Clock clock) {
        this.sampler = sampler;
        this.sources = sources;
        this.clock = clock;
    }

    public StatusServer start(String host, int port) {
        app = Javalin.create(cfg -> {
                    cfg.startup.showJavalinBanner = false;
                    cfg.startup.showOldJavalinVersionWarning = false;
                    // a path that exists with another method is a 405 with Allow, as on the gateway and the serving
                    // node
                    cfg.http.prefer405over404 = true;
                    cfg.staticFiles.enableWebjars();
                    cfg.staticFiles.add(files -> {
                        files.hostedPath = "/";
                        files.directory = "/status";
                        files.location = Location.CLASSPATH;
                    });
                    cfg.routes.get("/api/status", this::status);
                    cfg.routes.get("/api/recommend", this::recommend);
                    cfg.routes.post("/api/trainer/cycle", this::requestCycle);
                    cfg.routes.get(
                            OpenApiDocument.PATH,
                            ctx -> ctx.contentType(OpenApiDocument.CONTENT_TYPE).result(openApi));
                })
                .start(host, port);
        LOG.info("status page on http://{}:{}/", host, app.port());
        return this;
    }

    public int port() {
        return app.port();
    }

    private void status(Context ctx) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("now", clock.millis());
        body.put("freshness", sampler.freshness());
        body.put("throughput", sampler.throughput());
        body.put("totals", sampler.totals());
        body.put("training", sources.trainingCycles());
        body.put("trainer", sources.trainer());
        body.put("serving", sources.serving());
        ctx.contentType("application/json").result(JSON.writeValueAsBytes(body));
    }

    private void recommend(Context ctx) throws Exception {
        String user = ctx.queryParam("user");
        if (user == null || user.isBlank()) {
            ctx.status(400)
                    .contentType("application/json")
                    .result(JSON.writeValueAsBytes(Map.of("error", "give a user id: ?user=...")));
            return;
        }
        var answer = sources.recommend(user.trim(), 10);
        if (answer.isEmpty()) {
            ctx.status(503)
                    .contentType("application/json")
                    .result(JSON.writeValueAsBytes(Map.of("error", "no serving node is running")));
            return;
        }
        ctx.contentType("application/json").result(JSON.writeValueAsBytes(answer.get()));
    }

    /**
     * The page's one write. It takes only a same-origin JSON request: a cross-site page can send a form or a
     * {@code text/plain} POST without asking, but {@code application/json} needs a CORS preflight this server never
     * grants, and a browser names the sending page in {@code Origin}. A request while an earlier one has not been
     * answered by a finished cycle is merged into it: three clicks run one cycle, not three back to back.
     */
    private synchronized void requestCycle(Context ctx) throws Exception {
        String refused = SameOriginJson.refusal(ctx);
        if (refused != null) {
            ctx.status(refused.startsWith("Content-Type") ? 415 : 403)
                    .contentType("application/json")
                    .result(JSON.writeValueAsBytes(Map.of("error", refused)));
            return;
        }
        if (pendingRequest != null && !sources.cycleEndedSince(pendingRequest.atMillis())) {
            ctx.status(202)
                    .contentType("application/json")
                    .result(JSON.writeValueAsBytes(Map.of("requestId", pendingRequest.id(), "merged", true)));
            return;
        }
        long at = clock.millis();
        Optional<String> request = sources.requestTrainingCycle("asked on the status page");
        if (request.isEmpty()) {
            ctx.status(503)
                    .contentType("application/json")
                    .result(JSON.writeValueAsBytes(Map.of("error", "no trainer is running")));
            return;
        }
        pendingRequest = new PendingRequest(request.get(), at);
        ctx.status(202)
                .contentType("application/json")
                .result(JSON.writeValueAsBytes(Map.of("requestId", request.get(), "merged", false)));
    }

    private record PendingRequest(String id, long atMillis) {}

    @Override
    public void close() {
        if (app != null) {
            app.stop();
        }
    }
}
