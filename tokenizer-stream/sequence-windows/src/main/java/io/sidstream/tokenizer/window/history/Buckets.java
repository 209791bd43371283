package io.sidstream.tokenizer.window.history;

/**
 * The discretised features of a history item.
 *
 * <p>Watch-fraction bucket, 0..10: 0 = nothing watched or the duration unknown; k in 1..9 = a watch fraction in
 * [(k-1)/10, k/10); 10 = at least 0.9 (replays capped at 1).
 *
 * <p>Time-gap bucket, 0..20, log2-spaced in seconds since the previous item of the history: 0 = no previous item;
 * otherwise 1 + floor(log2(1 + gap seconds)), capped at 20 (about 6 days and more). So 1 = under a second,
 * 2 = 1-2 s, 3 = 3-6 s, 4 = 7-14 s ... 12 = about 34-68 min, 17 = about 18-36 h.
 */
public final class Buckets {

    public static final int WATCH_BUCKETS = 11;
    public static final int MAX_GAP_BUCKET = 20;

    private Buckets() {}

    public static int watchBucket(double watchFraction) {
        if (!(watchFraction > 0.0)) {
            return 0;
        }
        return 1 + Math.min(9, (int) Math.floor(Math.min(1.0, watchFraction) * 10.0));
    }

    public static int timeGapBucket(long previousEventTimeMs, long eventTimeMs) {
        long gapSeconds = Math.max(0, eventTimeMs - previousEventTimeMs) / 1000;
        int log2 = 63 - Long.numberOfLeadingZeros(gapSeconds + 1);
        return Math.min(MAX_GAP_BUCKET, 1 + log2);
    }
}
