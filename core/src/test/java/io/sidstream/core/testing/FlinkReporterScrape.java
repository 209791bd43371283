package io.sidstream.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/** Reads what Flink's Prometheus reporter on a test's MiniCluster exports (flink.metrics-port): plain HTTP. */
public final class FlinkReporterScrape {

    private FlinkReporterScrape() {}

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sample lines of the exposition (comments left out); empty while the reporter is not up yet. */
    public static List<String> samples(int port) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return response.body().lines().filter(line -> !line.startsWith("#")).toList();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until the reporter exports the stage's freshness histogram with at least one observation: its
     * {@code +Inf} bucket and its count, under the names ops/METRICS.md gives for Flink's reporter.
     */
    public static void awaitFreshness(int port, String stage) {
        Pattern inf = Pattern.compile(
                "^flink_taskmanager_job_task_operator_stage_le_sidstream_freshness_lag_seconds_bucket\\{"
                        + "(?=.*le=\"\\+Inf\")(?=.*stage=\"" + stage + "\").*} [1-9][0-9]*\\.?[0-9]*$");
        Pattern count =
                Pattern.compile("^flink_taskmanager_job_task_operator_stage_sidstream_freshness_lag_seconds_count\\{"
                        + "(?=.*stage=\"" + stage + "\").*} [1-9][0-9]*\\.?[0-9]*$");
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    List<String> samples = samples(port);
                    assertThat(samples)
                            .as("freshness %s from Flink's reporter", stage)
                            .anyMatch(line -> inf.matcher(line).matches())
                            .anyMatch(line -> count.matcher(line).matches());
                });
    }

    /** Waits until the reporter exports a sample line that matches {@code sample} (the whole line). */
    public static void awaitSample(int port, String description, Pattern sample) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(samples(port))
                        .as("%s from Flink's reporter", description)
                        .anyMatch(line -> sample.matcher(line).matches()));
    }
}
