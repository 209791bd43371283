package io.sidstream.core.metrics;

import com.typesafe.config.Config;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.sidstream.core.config.SidstreamConfig;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one {@code /metrics} endpoint of a process, where {@code metrics.host} and {@code metrics.port} say, with the
 * JVM's and the process's own metrics (memory, GC, threads, CPU, open files) beside sidstream's.
 */
public final class MetricsEndpoint {

    private MetricsEndpoint() {}

    public static HTTPServer start(SidstreamConfig config) {
        Config metrics = config.section("metrics");
        JvmMetrics.builder().register(); // once per registry: a second endpoint in the process adds nothing twice
        try {
            return HTTPServer.builder()
                    .hostname(metrics.getString("host"))
                    .port(metrics.getInt("port"))
                    .buildAndStart();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot serve metrics on " + metrics.getString("host") + ":" + metrics.getInt("port")
                            + " (metrics.port): " + e.getMessage(),
                    e);
        }
    }
}
