package io.sidstream.model.decode;

import java.util.Arrays;

/** One decoded item: the video, its SID codes (prefix then collision token) and the model's log-probability. */
public record Recommendation(String videoId, int[] sid, double score) {

    @Override
    public String toString() {
        return videoId + Arrays.toString(sid) + String.format(java.util.Locale.ROOT, "@%.4f", score);
    }
}
