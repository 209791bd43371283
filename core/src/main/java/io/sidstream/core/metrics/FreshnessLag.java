package io.sidstream.core.metrics;

import io.prometheus.metrics.core.metrics.Histogram;
import java.time.Duration;
import java.util.Locale;

/**
 * How long after its source event a thing became usable by the next stage, for every stage of the pipeline, in one
 * histogram with the same buckets everywhere so the stages can be compared and summed on one dashboard.
 */
public final class FreshnessLag {

    /** Seconds: from tens of milliseconds (a delta) to a day (a training cycle). */
    static final double[] BUCKETS = {0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600, 4 * 3600, 24 * 3600};

    public static final Histogram LAG = Histogram.builder()
            .name("sidstream_freshness_lag_seconds")
            .help("Time from an event to the moment the next stage could use it, per stage.")
            .labelNames("stage")
            .classicUpperBounds(BUCKETS)
            // Flink jobs record here too: an exemplar starts the client's JVM-wide scheduler thread, which from a job's
            // class loader would keep that loader alive after the job is cancelled (cluster-it checks); sidstream has
            // no traces for exemplars to point at anyway
            .withoutExemplars()
            .register();

    /** The stages of the pipeline, in order. */
    public enum Stage {
        UPLOAD_TO_SID,
        SID_TO_SERVABLE,
        UPLOAD_TO_SERVABLE,
        ENGAGEMENT_TO_EXAMPLE,
        EXAMPLE_TO_CHECKPOINT,
        CHECKPOINT_TO_SERVING;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private FreshnessLag() {}

    /** The bucket upper bounds, in seconds, for a process that records the same family through another registry. */
    public static double[] buckets() {
        return BUCKETS.clone();
    }

    public static void record(Stage stage, Duration lag) {
        // clocks of different machines can disagree by a little; a negative lag is recorded as none
        LAG.labelValues(stage.label()).observe(Math.max(0, lag.toNanos() / 1e9));
    }
}
