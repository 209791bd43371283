package io.sidstream.core.metrics;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Every metric of this process in Prometheus's text format: what each component's {@code /metrics} answers. */
public final class MetricsScrape {

    private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();

    private MetricsScrape() {}

    public static String contentType() {
        return WRITER.getContentType();
    }

    public static byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            WRITER.write(out, PrometheusRegistry.defaultRegistry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
