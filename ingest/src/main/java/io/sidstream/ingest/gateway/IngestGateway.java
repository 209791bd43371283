package io.sidstream.ingest.gateway;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.sidstream.core.deadletter.DeadLetters;
import io.sidstream.core.http.OpenApiDocument;
import io.sidstream.core.http.RefusedBodies;
import io.sidstream.ingest.publish.EventPublisher;
import io.sidstream.schemas.DeadLetter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP ingest gateway: {@code POST /v1/uploads}, {@code /v1/engagements}, {@code /v1/removals} (one event, a
 * JSON array or NDJSON), {@code GET /healthz} (readiness), {@code GET /livez} (liveness), {@code GET /metrics} and
 * {@code GET /openapi.yaml}, the API's contract.
 *
 * <p>An event is answered {@code accepted} only after Kafka acknowledged it (acks=all, idempotent producer); an
 * event Kafka did not take in time is answered {@code unavailable} with 503 and Retry-After, so the client resends
 * it. Invalid events are answered {@code rejected} with the reason and their raw bytes go to the topic's DLQ.
 * A bounded budget of events in flight turns overload into 429 instead of unbounded queues.
 */
public final class IngestGateway implements AutoCloseable {

    static final String STAGE = "ingest-gateway";
    /** The gateway's OpenAPI document (class-path resource). */
    public static final String OPENAPI_RESOURCE = "openapi/ingest-gateway.yaml";
    /** Dead letters larger than this would exceed the producer's request size; the head is kept. */
    private static final int MAX_DEAD_LETTER_PAYLOAD = 512 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(IngestGateway.class);

    private final GatewayConfig config;
    private final EventPublisher publisher;
    private final EventMapper mapper;
    private final BatchParser parser;
    private final AdmissionControl admission;
    private final BearerAuth auth;
    private final ObjectMapper json;
    private final AtomicLong lastFailureMillis = new AtomicLong();
    private final AtomicLong lastSuccessMillis = new AtomicLong();
    private final java.util.concurrent.ScheduledExecutorService watchdog =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "ingest-gateway-watchdog");
                t.setDaemon(true);
                return t;
            });
    /** This API's contract, served at {@link OpenApiDocument#PATH}. */
    private final byte[] openApi = OpenApiDocument.load(OPENAPI_RESOURCE);

    private Javalin app;

    public IngestGateway(GatewayConfig config, EventPublisher publisher) {
        this(config, publisher, Clock.systemUTC());
    }

    public IngestGateway(GatewayConfig config, EventPublisher publisher, Clock clock) {
        this.config = config;
        this.publisher = publisher;
        this.mapper = new EventMapper(config.embeddingDimension(), config.maxClockSkew(), clock);
        this.json = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.parser = new BatchParser(json, config.maxEventsPerRequest());
        this.admission = new AdmissionControl(config.maxInFlightEvents());
        this.auth = new BearerAuth(config.authTokens());
    }

    public synchronized IngestGateway start() {
        if (app != null) {
            throw new IllegalStateException("gateway already started");
        }
        app = Javalin.create(cfg -> {
                    cfg.startup.showJavalinBanner = false;
                    cfg.startup.showOldJavalinVersionWarning = false;
                    cfg.http.maxRequestSize = config.maxRequestBytes();
                    // GET on an ingest path is a 405 with Allow, not a 404 that sends a client looking for the path
                    cfg.http.prefer405over404 = true;
                    for (IngestKind kind : IngestKind.values()) {
                        cfg.routes.post(kind.path(), ctx -> ingest(kind, ctx));
                    }
                    cfg.routes.get("/healthz", this::health);
                    // liveness: the gateway answers HTTP (readiness is /healthz)
                    cfg.routes.get(
                            "/livez", ctx -> ctx.contentType("application/json").result("{\"status\":\"alive\"}"));
                    cfg.routes.get("/metrics", this::metrics);
                    cfg.routes.get(
                            OpenApiDocument.PATH,
                            ctx -> ctx.contentType(OpenApiDocument.CONTENT_TYPE).result(openApi));
                })
                .start(config.host(), config.port());
        LOG.info(
                "Ingest gateway listening on {}:{} ({} auth tokens, in-flight budget {} events)",
                config.host(),
                app.port(),
                config.authTokens().size(),
                config.maxInFlightEvents());
        return this;
    }

    public int port() {
        return app.port();
    }

    public int inFlightEvents() {
        return admission.inFlight();
    }

    private void ingest(IngestKind kind, Context ctx) {
        long started = System.nanoTime();
        if (!auth.allows(ctx.header("Authorization"))) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"sidstream-ingest\"");
            finish(kind, ctx, 401, error("missing or unknown bearer token"), started);
            return;
        }
        long declared = ctx.contentLength();
        if (declared > config.maxRequestBytes()) {
            RefusedBodies.drain(bodyStream(ctx), declared);
            finish(
                    kind,
                    ctx,
                    413,
                    error("request body of " + declared + " bytes is over the limit of " + config.maxRequestBytes()
                            + " bytes: split the batch"),
                    started);
            return;
        }
        byte[] body = ctx.bodyAsBytes();
        IngestMetrics.REQUEST_BYTES.labelValues(kind.label()).inc(body.length);
        List<ParsedEvent> events;
        try {
            events = parser.parse(body);
        } catch (BatchParser.BadBatchException e) {
            if (e.tooLarge()) {
                finish(kind, ctx, 413, error(e.getMessage()), started);
                return;
            }
            // the body is unreadable as a whole: keep it in the DLQ so it can be inspected, then answer 400
            ctx.future(() -> deadLetter(kind, body, "UNPARSEABLE_REQUEST", e.getMessage())
                    .handle((ok, failure) -> {
                        Map<String, Object> answer = error(e.getMessage());
                        answer.put("deadLettered", failure == null);
                        IngestMetrics.EVENTS
                                .labelValues(kind.label(), "rejected")
                                .inc();
                        finish(kind, ctx, 400, answer, started);
                        return null;
                    }));
            return;
        }
        int admitted = events.size();
        if (!admission.tryAdmit(admitted)) {
            ctx.header("Retry-After", String.valueOf(config.retryAfter().toSeconds()));
            finish(
                    kind,
                    ctx,
                    429,
                    error("gateway at capacity (" + config.maxInFlightEvents() + " events in flight): retry later"),
                    started);
            return;
        }
        IngestMetrics.IN_FLIGHT.set(admission.inFlight());
        CompletableFuture<BatchResponse> response;
        long generation = publisher.generation();
        try {
            response = process(kind, events);
            // every answer is bounded: sends still open well past the delivery timeout mean a stuck producer
            watchdog.schedule(
                    () -> {
                        if (!response.isDone()) {
                            publisher.abandon(
                                    generation, "a " + kind.label() + " request waited past the delivery timeout");
                        }
                    },
                    publisher.deliveryTimeout().toMillis() + 2000,
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            admission.release(admitted);
            throw e;
        }
        ctx.future(() -> response.handle((batch, failure) -> {
            admission.release(admitted);
            IngestMetrics.IN_FLIGHT.set(admission.inFlight());
            if (failure != null) {
                LOG.error("ingest request failed unexpectedly", failure);
                ctx.header("Retry-After", String.valueOf(config.retryAfter().toSeconds()));
                finish(kind, ctx, 503, error("internal error, nothing is confirmed: retry"), started);
                return null;
            }
            if (batch.unavailable() > 0) {
                ctx.header("Retry-After", String.valueOf(config.retryAfter().toSeconds()));
            }
            finish(kind, ctx, batch.httpStatus(), batch, started);
            return null;
        }));
    }

    private CompletableFuture<BatchResponse> process(IngestKind kind, List<ParsedEvent> events) {
        List<CompletableFuture<EventResult>> results = new ArrayList<>(events.size());
        boolean kafkaRefused = false;
        for (ParsedEvent event : events) {
            CompletableFuture<EventResult> result = processOne(kind, event, kafkaRefused);
            // a send that failed at once (no metadata within max.block.ms) will fail for the rest too: do not wait
            // again
            kafkaRefused |= result.isDone()
                    && EventResult.UNAVAILABLE.equals(result.join().status());
            results.add(result);
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                .thenApply(done -> BatchResponse.of(
                        results.stream().map(CompletableFuture::join).toList()));
    }

    private CompletableFuture<EventResult> processOne(IngestKind kind, ParsedEvent event, boolean kafkaRefused) {
        String label = kind.label();
        if (!event.parsed()) {
            return reject(kind, event, null, "UNPARSEABLE_EVENT", event.parseError());
        }
        SpecificRecord record;
        try {
            record = mapper.map(kind, event.json());
        } catch (InvalidEventException e) {
            return reject(kind, event, idHint(kind, event), "INVALID_EVENT", e.getMessage());
        }
        String id = EventMapper.idOf(record);
        CompletableFuture<RecordMetadata> sent;
        try {
            sent = kafkaRefused
                    ? CompletableFuture.failedFuture(
                            new IllegalStateException("Kafka refused an earlier event of this request"))
                    : publisher.publish(record);
        } catch (RuntimeException e) {
            // e.g. the schema registry is unreachable: the event was not written, the client may resend it
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.handle((metadata, failure) -> {
            if (failure == null) {
                lastSuccessMillis.set(System.currentTimeMillis());
                IngestMetrics.EVENTS.labelValues(label, "accepted").inc();
                return EventResult.accepted(event.index(), id, metadata.partition(), metadata.offset());
            }
            lastFailureMillis.set(System.currentTimeMillis());
            IngestMetrics.EVENTS.labelValues(label, "unavailable").inc();
            return EventResult.unavailable(
                    event.index(), id, "not written to Kafka (" + rootMessage(failure) + "): resend it");
        });
    }

    private CompletableFuture<EventResult> reject(
            IngestKind kind, ParsedEvent event, String id, String errorClass, String reason) {
        IngestMetrics.EVENTS.labelValues(kind.label(), "rejected").inc();
        return deadLetter(kind, event.raw(), errorClass, reason).handle((metadata, failure) -> {
            if (failure != null) {
                LOG.error(
                        "dead letter for a rejected {} event could not be written: {}",
                        kind.label(),
                        rootMessage(failure));
            }
            return EventResult.rejected(event.index(), id, reason, failure == null);
        });
    }

    private CompletableFuture<RecordMetadata> deadLetter(
            IngestKind kind, byte[] raw, String errorClass, String reason) {
        byte[] payload = raw;
        String why = reason;
        if (raw.length > MAX_DEAD_LETTER_PAYLOAD) {
            payload = java.util.Arrays.copyOf(raw, MAX_DEAD_LETTER_PAYLOAD);
            why = reason + " (payload truncated from " + raw.length + " bytes)";
        }
        DeadLetter letter = DeadLetters.rejectedInput(kind.topic().topicName(), payload, errorClass, why, STAGE);
        return publisher.deadLetter(letter);
    }

    /**
     * The id a rejected event's result names, read from the field that names that kind of event (an engagement's
     * event id, never its video id: the client matches results to events by it).
     */
    private static String idHint(IngestKind kind, ParsedEvent event) {
        String field = kind == IngestKind.ENGAGEMENTS ? "eventId" : "videoId";
        var node = event.json() == null ? null : event.json().get(field);
        return node != null
                        && node.isTextual()
                        && JsonFields.ID.matcher(node.asText()).matches()
                ? node.asText()
                : null;
    }

    private void health(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "ok");
        long failure = lastFailureMillis.get();
        body.put("kafka", failure > lastSuccessMillis.get() ? "failing" : "ok");
        body.put("inFlightEvents", admission.inFlight());
        ctx.status(200).contentType("application/json").result(write(body));
    }

    private void metrics(Context ctx) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
        writer.write(out, PrometheusRegistry.defaultRegistry.scrape());
        ctx.status(200).contentType(writer.getContentType()).result(out.toByteArray());
    }

    private void finish(IngestKind kind, Context ctx, int status, Object body, long startedNanos) {
        ctx.status(status).contentType("application/json").result(write(body));
        IngestMetrics.REQUESTS.labelValues(kind.label(), String.valueOf(status)).inc();
        IngestMetrics.ACCEPT_LATENCY.labelValues(kind.label()).observe((System.nanoTime() - startedNanos) / 1e9);
    }

    private static Map<String, Object> error(String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        return body;
    }

    private byte[] write(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a response", e);
        }
    }

    private static String rootMessage(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t.getCause() != null && t.getMessage() == null)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    @Override
    public synchronized void close() {
        watchdog.shutdownNow();
        if (app != null) {
            app.stop();
            app = null;
        }
    }

    // a stream that cannot be opened has nothing left to drain
    private static InputStream bodyStream(Context ctx) {
        try {
            return ctx.req().getInputStream();
        } catch (IOException e) {
            return InputStream.nullInputStream();
        }
    }
}
