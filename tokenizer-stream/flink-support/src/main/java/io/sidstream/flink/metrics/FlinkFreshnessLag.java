package io.sidstream.flink.metrics;

import io.sidstream.core.metrics.FreshnessLag;
import java.time.Duration;
import org.apache.flink.metrics.MetricGroup;

/**
 * {@code sidstream_freshness_lag_seconds{stage}} recorded by the Flink operator that does a stage's work, in two
 * registries: Flink's metric group, which Flink's Prometheus reporter exports from a cluster's TaskManagers, and the
 * process's Prometheus client registry ({@link FreshnessLag}), which {@code sidstream up} serves from the JVM its
 * MiniClusters run in. Both see the same observations with the same buckets; each deployment exports one of them.
 */
public final class FlinkFreshnessLag {

    /** The family's name, as {@link FreshnessLag} registers it. */
    static final String NAME = "sidstream_freshness_lag_seconds";

    private final FreshnessLag.Stage stage;
    private final BucketedHistogram histogram;

    private FlinkFreshnessLag(FreshnessLag.Stage stage, BucketedHistogram histogram) {
        this.stage = stage;
        this.histogram = histogram;
    }

    /** Registers the stage's histogram in an operator's metric group (call from {@code open}). */
    public static FlinkFreshnessLag register(MetricGroup operator, FreshnessLag.Stage stage) {
        MetricGroup group = operator.addGroup("stage", stage.label());
        return new FlinkFreshnessLag(stage, BucketedHistogram.register(group, NAME, FreshnessLag.buckets()));
    }

    public void record(Duration lag) {
        histogram.observe(lag);
        FreshnessLag.record(stage, lag);
    }
}
