package io.sidstream.platform.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import org.junit.jupiter.api.Test;

class WindowQuantilesTest {

    private final Histogram histogram = Histogram.builder()
            .name("window_test_seconds")
            .classicUpperBounds(1, 2, 5, 10)
            .register(new PrometheusRegistry());

    @Test
    void quantilesCoverOnlyWhatWasObservedSinceThePreviousWindow() {
        WindowQuantiles quantiles = new WindowQuantiles();
        for (int i = 0; i < 100; i++) {
            histogram.observe(0.5); // all in the first bucket
        }
        WindowQuantiles.Window first = quantiles.advance("stage", buckets());
        assertThat(first.total()).isEqualTo(100);
        assertThat(first.quantile(0.5).getAsDouble()).isCloseTo(0.5, within(1e-9)); // interpolated in [0, 1]

        for (int i = 0; i < 10; i++) {
            histogram.observe(7); // the next window only: between 5 and 10
        }
        WindowQuantiles.Window second = quantiles.advance("stage", buckets());
        assertThat(second.total()).isEqualTo(10);
        assertThat(second.quantile(0.99).getAsDouble()).isBetween(5.0, 10.0);

        assertThat(quantiles.advance("stage", buckets()).quantile(0.5))
                .as("nothing new, no point")
                .isEmpty();
    }

    @Test
    void theInfiniteBucketReportsItsLowerBoundAsPrometheusDoes() {
        WindowQuantiles quantiles = new WindowQuantiles();
        histogram.observe(50);
        assertThat(quantiles.advance("stage", buckets()).quantile(0.99).getAsDouble())
                .isEqualTo(10);
    }

    private ClassicHistogramBuckets buckets() {
        return histogram.collect().getDataPoints().get(0).getClassicBuckets();
    }
}
