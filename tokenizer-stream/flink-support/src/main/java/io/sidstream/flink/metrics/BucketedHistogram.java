package io.sidstream.flink.metrics;

import java.time.Duration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * A Prometheus histogram ({@code <name>_bucket{le}}, {@code _count}, {@code _sum}) built from Flink counters, so that a
 * Flink job's latency reaches Prometheus with the same buckets as the sidstream processes' histograms. Flink's own
 * {@code Histogram} would not do: its Prometheus reporter exports it as a summary of quantiles per subtask, which can
 * be neither summed across subtasks nor compared with the other stages.
 *
 * <p>Through Flink's Prometheus reporter the series are named
 * {@code flink_taskmanager_job_task_operator_<groups>_<name>_bucket} (a key-value group adds its key to the name and
 * its value as a label); the scrape configuration in ops/ renames them back to {@code <name>_*}. The {@code le} label
 * values ({@code 0.05}, {@code +Inf}) need {@code metrics.reporter.prom.filterLabelValueCharacters: false}.
 */
public final class BucketedHistogram {

    private final double[] bounds;
    private final Counter[] buckets;
    private final Counter count;
    private double sum;

    private BucketedHistogram(MetricGroup group, String name, double[] bounds) {
        this.bounds = bounds.clone();
        this.buckets = new Counter[bounds.length + 1];
        for (int i = 0; i < bounds.length; i++) {
            buckets[i] = group.addGroup("le", le(bounds[i])).counter(name + "_bucket");
        }
        buckets[bounds.length] = group.addGroup("le", "+Inf").counter(name + "_bucket");
        count = group.counter(name + "_count");
        group.gauge(name + "_sum", (Gauge<Double>) () -> sum);
    }

    /** A histogram of seconds named {@code name} (without {@code _bucket}) in {@code group}. */
    public static BucketedHistogram register(MetricGroup group, String name, double[] bounds) {
        return new BucketedHistogram(group, name, bounds);
    }

    public void observe(Duration value) {
        observe(value.toNanos() / 1e9);
    }

    /** Buckets are cumulative, as Prometheus reads them: a value counts in every bucket whose bound it does not pass. */
    public void observe(double seconds) {
        double value = Math.max(0, seconds);
        for (int i = bounds.length - 1; i >= 0 && value <= bounds[i]; i--) {
            buckets[i].inc();
        }
        buckets[bounds.length].inc();
        count.inc();
        sum += value;
    }

    /** The label value the Prometheus Java client writes for a bound ({@code 1.0}, {@code 0.05}), so that series match. */
    static String le(double bound) {
        return Double.toString(bound);
    }
}
