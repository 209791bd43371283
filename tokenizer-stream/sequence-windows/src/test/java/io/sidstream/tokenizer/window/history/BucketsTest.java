package io.sidstream.tokenizer.window.history;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BucketsTest {

    @Test
    void watchBucketsAreTenthsWithZeroForNothingWatched() {
        assertThat(Buckets.watchBucket(0.0)).isZero();
        assertThat(Buckets.watchBucket(0.01)).isEqualTo(1);
        assertThat(Buckets.watchBucket(0.1)).isEqualTo(2);
        assertThat(Buckets.watchBucket(0.55)).isEqualTo(6);
        assertThat(Buckets.watchBucket(0.9)).isEqualTo(10);
        assertThat(Buckets.watchBucket(1.0)).isEqualTo(10);
        assertThat(Buckets.watchBucket(Double.NaN)).isZero();
    }

    @Test
    void timeGapBucketsAreLog2Seconds() {
        assertThat(Buckets.timeGapBucket(0, 500)).isEqualTo(1);
        assertThat(Buckets.timeGapBucket(0, 1_000)).isEqualTo(2);
        assertThat(Buckets.timeGapBucket(0, 2_999)).isEqualTo(2);
        assertThat(Buckets.timeGapBucket(0, 3_000)).isEqualTo(3);
        assertThat(Buckets.timeGapBucket(0, 3_600_000)).isEqualTo(12);
        assertThat(Buckets.timeGapBucket(0, 365L * 86_400_000)).isEqualTo(Buckets.MAX_GAP_BUCKET);
        assertThat(Buckets.timeGapBucket(5_000, 0)).isEqualTo(1);
    }
}
