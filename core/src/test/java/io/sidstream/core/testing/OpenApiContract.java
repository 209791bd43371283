package io.sidstream.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * An HTTP API's OpenAPI 3 document as a contract test sees it: requests go to the running component over real HTTP,
 * and both the request and the answer are validated against the document by Atlassian's
 * {@code swagger-request-validator} (JSON Schema for bodies, parameters, headers, status codes, content types), not
 * by checks written here. It also records which documented answers (operation and status) the test has provoked, so
 * a test can assert that it exercised every one: an answer in the document that no test provokes is a promise nobody
 * checks.
 *
 * <p>A request the test sends on purpose against the document (a missing field, no token) is validated too: the
 * document must call it invalid, which keeps its schemas as strict as the server.
 */
public final class OpenApiContract {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String document;
    private final OpenApiInteractionValidator validator;
    private final OpenAPI api;
    private final Set<String> exercised = new ConcurrentSkipListSet<>();

    private OpenApiContract(String document) {
        this.document = document;
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(document, null, options);
        assertThat(parsed.getMessages()).as("OpenAPI parser messages").isEmpty();
        assertThat(parsed.getOpenAPI()).as("a parsed OpenAPI document").isNotNull();
        assertThat(parsed.getOpenAPI().getOpenapi()).as("OpenAPI version").startsWith("3.");
        this.api = parsed.getOpenAPI();
        this.validator = OpenApiInteractionValidator.createForInlineApiSpecification(document)
                .build();
    }

    /** The document in a class-path resource (where the module that serves it keeps it). */
    public static OpenApiContract fromResource(String resource) {
        try (InputStream in = OpenApiContract.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as("class-path resource " + resource).isNotNull();
            return new OpenApiContract(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The document text this contract validates against. */
    public String document() {
        return document;
    }

    /** A request to send: method, path with its query, headers and body. */
    public record Call(String method, String path, Map<String, String> headers, byte[] body) {

        public static Call get(String path) {
            return new Call("GET", path, Map.of(), null);
        }

        public static Call post(String path, String contentType, String body) {
            return post(path, contentType, body.getBytes(StandardCharsets.UTF_8));
        }

        public static Call post(String path, String contentType, byte[] body) {
            Map<String, String> headers = new LinkedHashMap<>();
            if (contentType != null) {
                headers.put("Content-Type", contentType);
            }
            return new Call("POST", path, headers, body);
        }

        public static Call json(String path, String body) {
            return post(path, "application/json", body);
        }

        public Call header(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Call(method, path, more, body);
        }

        public Call bearer(String token) {
            return header("Authorization", "Bearer " + token);
        }

        String pathOnly() {
            int q = path.indexOf('?');
            return q < 0 ? path : path.substring(0, q);
        }
    }

    /** What came back, with the validator's verdicts on the request and on the answer. */
    public record Exchange(
            Call call,
            int status,
            Map<String, List<String>> headers,
            String body,
            ValidationReport requestReport,
            ValidationReport responseReport) {

        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream())
                    .findFirst()
                    .orElse(null);
        }

        /** The request and the answer both conform to the document; the status is {@code expected}. */
        public Exchange conforms(int expected) {
            assertThat(status).as(describe()).isEqualTo(expected);
            assertThat(messages(requestReport))
                    .as("request against the document: " + describe())
                    .isEmpty();
            assertThat(messages(responseReport))
                    .as("answer against the document: " + describe())
                    .isEmpty();
            return this;
        }

        /**
         * The test broke the document on purpose: the document must say the request is invalid (so it states the
         * rule the server enforces), and the answer, an error, must still be one the document describes.
         */
        public Exchange refused(int expected) {
            assertThat(status).as(describe()).isEqualTo(expected);
            assertThat(messages(requestReport))
                    .as("the document should refuse this request too: " + describe())
                    .isNotEmpty();
            assertThat(messages(responseReport))
                    .as("answer against the document: " + describe())
                    .isEmpty();
            return this;
        }

        /**
         * The request conforms to the document's schemas but breaks a rule a schema cannot state (an event time in
         * the future, a full gateway): only the answer is checked.
         */
        public Exchange answered(int expected) {
            assertThat(status).as(describe()).isEqualTo(expected);
            assertThat(messages(responseReport))
                    .as("answer against the document: " + describe())
                    .isEmpty();
            return this;
        }

        /**
         * A method the document does not list for the path: the document agrees it is not allowed, and the server
         * answers 405 naming in {@code Allow} the methods the document lists.
         */
        public Exchange methodNotAllowed(Set<String> documentedMethods) {
            assertThat(status).as(describe()).isEqualTo(405);
            assertThat(requestReport.getMessages())
                    .as("the document should not list " + call.method() + " " + call.path())
                    .anySatisfy(m -> assertThat(m.getKey()).isEqualTo("validation.request.operation.notAllowed"));
            assertThat(header("Allow")).as("Allow header").isNotNull();
            assertThat(Set.of(header("Allow").replace(" ", "").split(",")))
                    .as("Allow header")
                    .isEqualTo(documentedMethods);
            return this;
        }

        private String describe() {
            return call.method() + " " + call.path() + " -> " + status + " " + abbreviate(body);
        }
    }

    /** Sends {@code call} to {@code base} (for example {@code http://127.0.0.1:8088}) and validates the exchange. */
    public Exchange send(URI base, Call call) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(base.resolve(call.path())).timeout(Duration.ofSeconds(60));
        call.headers().forEach(builder::header);
        builder.method(
                call.method(),
                call.body() == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(call.body()));
        HttpResponse<String> response;
        try {
            response = HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("request failed: " + call.method() + " " + call.path(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Request request = toValidatorRequest(call);
        SimpleResponse.Builder answer = SimpleResponse.Builder.status(response.statusCode());
        response.headers().map().forEach((name, values) -> answer.withHeader(name, values));
        if (!response.body().isEmpty()) {
            answer.withBody(response.body());
        }
        SimpleResponse validatorResponse = answer.build();
        ValidationReport requestReport = validator.validateRequest(request);
        ValidationReport responseReport =
                validator.validateResponse(call.pathOnly(), request.getMethod(), validatorResponse);
        exercised.add(key(call.method(), call.pathOnly(), String.valueOf(response.statusCode())));
        return new Exchange(
                call, response.statusCode(), response.headers().map(), response.body(), requestReport, responseReport);
    }

    /** Every operation and answer status the document describes, as {@code METHOD path status}. */
    public Set<String> documentedAnswers() {
        Set<String> documented = new TreeSet<>();
        api.getPaths()
                .forEach((path, item) -> item.readOperationsMap()
                        .forEach((method, operation) -> operation
                                .getResponses()
                                .keySet()
                                .forEach(status -> documented.add(key(method.name(), path, status)))));
        return documented;
    }

    /** Asserts that the test provoked every answer the document describes (no untested promise). */
    public void assertEveryDocumentedAnswerExercised() {
        List<String> missing = new ArrayList<>(documentedAnswers());
        missing.removeAll(exercised);
        assertThat(missing)
                .as("documented answers no request of the test provoked (exercised: " + exercised + ")")
                .isEmpty();
    }

    /** The methods the document lists for {@code path}. */
    public Set<String> methods(String path) {
        PathItem item = api.getPaths().get(path);
        assertThat(item).as("documented path " + path).isNotNull();
        Set<String> methods = new TreeSet<>();
        item.readOperationsMap().keySet().forEach(m -> methods.add(m.name()));
        return methods;
    }

    /** The documented operations, as {@code METHOD path}: what a served copy of the document must list too. */
    public Set<String> operations() {
        Set<String> ops = new TreeSet<>();
        api.getPaths()
                .forEach((path, item) ->
                        item.readOperationsMap().keySet().forEach(method -> ops.add(method.name() + " " + path)));
        return ops;
    }

    private static Request toValidatorRequest(Call call) {
        SimpleRequest.Builder builder = new SimpleRequest.Builder(call.method(), call.pathOnly());
        int q = call.path().indexOf('?');
        if (q >= 0) {
            for (String pair : call.path().substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                builder.withQueryParam(name, value);
            }
        }
        call.headers().forEach(builder::withHeader);
        if (call.body() != null) {
            builder.withBody(call.body());
        }
        return builder.build();
    }

    private static String key(String method, String path, String status) {
        return method.toUpperCase(java.util.Locale.ROOT) + " " + path + " " + status;
    }

    private static List<String> messages(ValidationReport report) {
        return report.getMessages().stream()
                .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .map(m -> m.getKey() + ": " + m.getMessage())
                .toList();
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }
}
