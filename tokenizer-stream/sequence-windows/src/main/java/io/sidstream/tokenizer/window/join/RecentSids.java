package io.sidstream.tokenizer.window.join;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SIDs of the videos a join instance read or wrote most recently, in front of its keyed state: reading a
 * video's SID from RocksDB on every engagement was a third of the join's thread, while the engaged catalog is
 * mostly a small hot set. A copy of state, never the truth: every write to the state goes through
 * {@link #put}, and a restored or rescaled instance starts empty.
 */
final class RecentSids {

    private final Map<String, VideoSid> byVideo;

    RecentSids(int capacity) {
        this.byVideo = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, VideoSid> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The cached state of the video, or null when it is not cached (its state may still exist). */
    VideoSid get(String videoId) {
        return byVideo.get(videoId);
    }

    void put(String videoId, VideoSid sid) {
        byVideo.put(videoId, sid);
    }
}
