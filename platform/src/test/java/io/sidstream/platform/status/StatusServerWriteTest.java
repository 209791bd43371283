package io.sidstream.platform.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.sidstream.platform.embedded.TopicActivity;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 23, finding 6: "run a cycle now" took a cross-origin text/plain POST (CSRF), and three POSTs ran three
 * cycles back to back.
 */
class StatusServerWriteTest {

    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicBoolean cycleEnded = new AtomicBoolean();
    private final HttpClient http = HttpClient.newHttpClient();
    private StatusServer server;

    @BeforeEach
    void start() {
        StatusSources sources = new StatusSources() {
            @Override
            public Optional<String> requestTrainingCycle(String reason) {
                return Optional.of("request-" + sent.incrementAndGet());
            }

            @Override
            public boolean cycleEndedSince(long requestedAtMillis) {
                return cycleEnded.get();
            }
        };
        server = new StatusServer(
                        new StatusSampler(new TopicActivity(null), Clock.systemUTC()), sources, Clock.systemUTC())
                .start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void onlySameOriginJsonRequestsMayAskForACycle() throws Exception {
        String self = "http://127.0.0.1:" + server.port();
        assertThat(post("text/plain", "https://evil.example", null).statusCode())
                .isEqualTo(415);
        assertThat(post("application/x-www-form-urlencoded", null, null).statusCode())
                .isEqualTo(415);
        HttpResponse<String> crossOrigin = post("application/json", "https://evil.example", null);
        assertThat(crossOrigin.statusCode()).isEqualTo(403);
        assertThat(crossOrigin.body()).contains("https://evil.example");
        assertThat(post("application/json", null, "cross-site").statusCode()).isEqualTo(403);
        assertThat(sent.get()).as("requests sent on to the trainer").isZero();

        HttpResponse<String> page = post("application/json", self, "same-origin");
        assertThat(page.statusCode()).as(page.body()).isEqualTo(202);
        assertThat(sent.get()).isEqualTo(1);
    }

    @Test
    void repeatedRequestsMergeUntilACycleHasRun() throws Exception {
        assertThat(post("application/json", null, null).body())
                .contains("request-1")
                .contains("\"merged\":false");
        assertThat(post("application/json", null, null).body())
                .contains("request-1")
                .contains("\"merged\":true");
        assertThat(post("application/json; charset=utf-8", null, null).body()).contains("request-1");
        assertThat(sent.get()).isEqualTo(1);

        cycleEnded.set(true);
        assertThat(post("application/json", null, null).body())
                .contains("request-2")
                .contains("\"merged\":false");
        assertThat(sent.get()).isEqualTo(2);
    }

    private HttpResponse<String> post(String contentType, String origin, String fetchSite) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/api/trainer/cycle"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"));
        request.header("Content-Type", contentType);
        if (origin != null) {
            request.header("Origin", origin);
        }
        if (fetchSite != null) {
            request.header("Sec-Fetch-Site", fetchSite);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
