package io.sidstream.flink.metrics;

import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/**
 * Flink's Prometheus reporter as sidstream's jobs need it, for a MiniCluster sidstream starts itself; a cluster's Flink
 * configuration says the same in YAML (ops/k8s/30-flink-jobs.yaml, ops/METRICS.md).
 */
public final class PrometheusReporterSettings {

    public static final String PREFIX = "metrics.reporter.prom.";

    private PrometheusReporterSettings() {}

    public static void apply(Configuration flink, int port) {
        set(flink, "factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        set(flink, "port", Integer.toString(port));
        // BucketedHistogram's le="0.05" and le="+Inf" would otherwise become "0_05" and "_Inf"
        set(flink, "filterLabelValueCharacters", "false");
    }

    private static void set(Configuration flink, String key, String value) {
        flink.set(ConfigOptions.key(PREFIX + key).stringType().noDefaultValue(), value);
    }
}
