package io.sidstream.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.sidstream.core.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {

    @Test
    void servesTheJvmAndProcessMetricsOnceEvenWithTwoEndpoints() throws Exception {
        var config = ConfigLoader.withOverrides(Map.of("metrics.port", "0"));
        try (HTTPServer first = MetricsEndpoint.start(config);
                HTTPServer second = MetricsEndpoint.start(config)) {
            String body = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + second.getPort() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();

            assertThat(body)
                    .contains(
                            "jvm_memory_used_bytes{",
                            "jvm_threads_current ",
                            "jvm_gc_collection_seconds",
                            "process_cpu_seconds_total ",
                            "process_open_fds ");
            assertThat(body.lines().filter(l -> l.startsWith("# TYPE jvm_threads_current ")))
                    .hasSize(1);
        }
    }
}
