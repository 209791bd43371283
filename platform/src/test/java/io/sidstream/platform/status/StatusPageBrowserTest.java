package io.sidstream.platform.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.sidstream.core.config.ConfigLoader;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.testing.SampleRecords;
import io.sidstream.core.topic.Topic;
import io.sidstream.platform.embedded.EmbeddedPlatform;
import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.serde.AvroWireSerializer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page in a real browser (Debian's headless Chromium, installed by ops/install-tools.sh): it loads,
 * draws the platform's data, and a screenshot is saved to target/status-page.png.
 */
class StatusPageBrowserTest {

    @Test
    void thePageLoadsShowsThePlatformsDataAndIsScreenshotted(@TempDir Path dir) throws Exception {
        SidstreamConfig configured = ConfigLoader.withOverrides(settings(
                "embedded.data-dir",
                dir.resolve("data").toString(),
                "embedded.kafka-port",
                "0",
                "embedded.controller-port",
                "0",
                "metrics.port",
                "0",
                "platform.run.jobs",
                "false",
                "platform.run.trainer",
                "false",
                "platform.run.serving",
                "false",
                "platform.run.gateway",
                "false",
                "platform.run.world",
                "false",
                "platform.status-port",
                "0",
                "platform.status-sample-interval",
                "500ms"));
        try (EmbeddedPlatform platform = EmbeddedPlatform.start(configured)) {
            try (KafkaProducer<String, Engagement> producer = new KafkaProducer<>(
                    platform.config().kafka().producer("status-test"),
                    new StringSerializer(),
                    AvroWireSerializer.create(platform.config().registry(), Engagement.class))) {
                for (int i = 0; i < 25; i++) {
                    producer.send(new ProducerRecord<>(
                            Topic.ENGAGEMENTS.topicName(),
                            "u" + i % 3,
                            SampleRecords.engagement("e" + i, "u" + i % 3, "v" + i)));
                }
                producer.flush();
            }
            String url = "http://127.0.0.1:" + platform.statusPort() + "/";
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> get(url + "api/status").contains("\"engagements\":25"));
            assertThat(get(url)).contains("<title>sidstream status</title>");

            String dom = chromium(dir, "--dump-dom", url);
            assertThat(dom).contains("data-ready=\"true\"").contains("<td>engagements</td><td>25</td>");
            long now = System.currentTimeMillis();
            // no job runs here, so the freshness chart has no lag of its own (earlier tests in this JVM may have left
            // some in the shared registry): either way its axis runs forward, ends now, and an empty one spans a minute
            Map<String, Double> freshness = drawn(dom, "freshness");
            assertThat(freshness.get("x-max") - freshness.get("x-min")).isBetween(60_000.0, 600_000.0);
            if (freshness.get("series") == 0) {
                assertThat(freshness.get("x-max") - freshness.get("x-min")).isEqualTo(60_000);
            }
            assertThat(freshness.get("x-max")).isCloseTo(now, within(120_000.0));
            // the engagements drawn as records/s, on an axis that runs forward and ends now
            Map<String, Double> throughput = drawn(dom, "throughput");
            assertThat(throughput.get("series")).isPositive();
            assertThat(throughput.get("points")).isPositive();
            assertThat(throughput.get("x-max") - throughput.get("x-min")).isBetween(60_000.0, 600_000.0);
            assertThat(throughput.get("x-max")).isCloseTo(now, within(120_000.0));

            Path screenshot = Path.of("target", "status-page.png").toAbsolutePath();
            Files.deleteIfExists(screenshot);
            chromium(dir, "--screenshot=" + screenshot, "--window-size=1280,1500", url);
            assertThat(screenshot).exists();
            assertThat(Files.size(screenshot)).isGreaterThan(20_000);
        }
    }

    private static String chromium(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + dir.resolve("chromium-profile"),
                "--virtual-time-budget=6000"));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectError(dir.resolve("chromium.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "chromium is not installed: run ops/install-tools.sh (Debian's chromium), as .ci/run does", e);
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(90, TimeUnit.SECONDS))
                .as("chromium finished")
                .isTrue();
        assertThat(process.exitValue())
                .as("chromium exit code; its log: %s", dir.resolve("chromium.log"))
                .isZero();
        return out;
    }

    /** The data-* attributes status.js writes on a chart's canvas after drawing it (its axis and what it drew). */
    private static Map<String, Double> drawn(String dom, String canvasId) {
        Matcher canvas =
                Pattern.compile("<canvas[^>]*\\bid=\"" + canvasId + "\"[^>]*>").matcher(dom);
        assertThat(canvas.find()).as("canvas %s in the page", canvasId).isTrue();
        Map<String, Double> attributes = new java.util.HashMap<>();
        Matcher attribute =
                Pattern.compile("data-(x-min|x-max|series|points)=\"([^\"]+)\"").matcher(canvas.group());
        while (attribute.find()) {
            attributes.put(attribute.group(1), Double.parseDouble(attribute.group(2)));
        }
        assertThat(attributes)
                .as("what status.js drew on %s", canvasId)
                .containsOnlyKeys("x-min", "x-max", "series", "points");
        return attributes;
    }

    private static String get(String url) throws Exception {
        return HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static Map<String, String> settings(String... keysAndValues) {
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            settings.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return settings;
    }
}
