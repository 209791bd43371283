package io.sidstream.ingest.world;

import java.util.Random;

/**
 * The videos engagement can land on, in bounded memory however long the stream runs. A ring keeps the facts of the
 * last {@code capacity} videos (topic, subtopic, duration, upload time); per topic, a ring of recent uploads serves
 * recency and a ring of recent watches serves popularity (drawing a past watch picks a video in proportion to its
 * watches: preferential attachment, so a few videos become hits).
 */
final class VideoCatalog {

    private static final int RECENT_PER_TOPIC = 2048;
    private static final int WATCHES_PER_TOPIC = 8192;

    private final int capacity;
    private final int[] topic;
    private final int[] subtopic;
    private final long[] durationMs;
    private final long[] uploadMillis;
    private final int[][] recent;
    private final int[] recentCount;
    private final int[][] watches;
    private final long[] watchCount;
    private int videos;

    VideoCatalog(int topics, int capacity) {
        this.capacity = capacity;
        topic = new int[capacity];
        subtopic = new int[capacity];
        durationMs = new long[capacity];
        uploadMillis = new long[capacity];
        recent = new int[topics][RECENT_PER_TOPIC];
        recentCount = new int[topics];
        watches = new int[topics][WATCHES_PER_TOPIC];
        watchCount = new long[topics];
    }

    /** Adds a video; returns its number (0, 1, 2... in upload order). */
    int add(int videoTopic, int videoSubtopic, long duration, long uploadTime) {
        int n = videos++;
        int slot = n % capacity;
        topic[slot] = videoTopic;
        subtopic[slot] = videoSubtopic;
        durationMs[slot] = duration;
        uploadMillis[slot] = uploadTime;
        recent[videoTopic][recentCount[videoTopic]++ % RECENT_PER_TOPIC] = n;
        return n;
    }

    int size() {
        return videos;
    }

    boolean known(int n) {
        return n >= 0 && n < videos && n >= videos - capacity;
    }

    int topic(int n) {
        return topic[n % capacity];
    }

    int subtopic(int n) {
        return subtopic[n % capacity];
    }

    long durationMs(int n) {
        return durationMs[n % capacity];
    }

    long uploadMillis(int n) {
        return uploadMillis[n % capacity];
    }

    boolean hasVideos(int t) {
        return recentCount[t] > 0;
    }

    /** A video of the topic: by popularity or, otherwise, among recent uploads favouring the newest; -1 if none. */
    int sample(int t, Random random, double popularityShare) {
        if (watchCount[t] > 0 && random.nextDouble() < popularityShare) {
            int held = (int) Math.min(watchCount[t], WATCHES_PER_TOPIC);
            int n = watches[t][random.nextInt(held)];
            if (known(n)) {
                return n;
            }
        }
        int held = Math.min(recentCount[t], RECENT_PER_TOPIC);
        if (held == 0) {
            return -1;
        }
        double u = random.nextDouble();
        int back = (int) (held * u * u);
        int n = recent[t][Math.floorMod(recentCount[t] - 1 - back, RECENT_PER_TOPIC)];
        return known(n) ? n : -1;
    }

    void watched(int n) {
        int t = topic(n);
        watches[t][(int) (watchCount[t]++ % WATCHES_PER_TOPIC)] = n;
    }
}
