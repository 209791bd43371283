package io.sidstream.platform.status;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Quantiles of a classic histogram over the interval since the previous call, per label value, interpolated
 * inside buckets the way Prometheus's {@code histogram_quantile} does: the status page shows what is happening now,
 * not the average since start.
 */
final class WindowQuantiles {

    private final Map<String, long[]> previous = new HashMap<>();

    /** The counts in {@code buckets} minus those seen last time for {@code key}; empty when nothing was observed. */
    Window advance(String key, ClassicHistogramBuckets buckets) {
        long[] now = new long[buckets.size()];
        double[] bounds = new double[buckets.size()];
        for (int i = 0; i < buckets.size(); i++) {
            now[i] = buckets.getCount(i);
            bounds[i] = buckets.getUpperBound(i);
        }
        long[] before = previous.put(key, now);
        long[] delta = new long[now.length];
        long total = 0;
        for (int i = 0; i < now.length; i++) {
            delta[i] = now[i] - (before == null || before.length != now.length ? 0 : before[i]);
            total += delta[i];
        }
        return new Window(bounds, delta, total);
    }

    record Window(double[] upperBounds, long[] counts, long total) {

        /** The q-quantile, or empty when the window saw no observation. */
        OptionalDouble quantile(double q) {
            if (total == 0) {
                return OptionalDouble.empty();
            }
            double rank = q * total;
            long seen = 0;
            for (int i = 0; i < counts.length; i++) {
                if (seen + counts[i] >= rank && counts[i] > 0) {
                    double lower = i == 0 ? 0 : upperBounds[i - 1];
                    double upper = upperBounds[i];
                    if (Double.isInfinite(upper)) {
                        return OptionalDouble.of(lower); // as Prometheus: the highest finite bound
                    }
                    return OptionalDouble.of(lower + (upper - lower) * (rank - seen) / counts[i]);
                }
                seen += counts[i];
            }
            return OptionalDouble.of(upperBounds[upperBounds.length - 1]);
        }
    }
}
