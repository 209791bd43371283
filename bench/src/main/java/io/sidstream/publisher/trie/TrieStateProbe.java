package io.sidstream.publisher.trie;

import io.sidstream.schemas.SidAssigned;
import io.sidstream.schemas.TrieUpdate;
import java.time.Instant;
import java.util.List;

/**
 * The trie publisher's state, driven without Kafka by {@code bench serve-sweep}: snapshots and deltas are what the
 * publisher's loop builds and sends, so their cost at a size is the publisher's own part of it. It lives in
 * {@link TrieState}'s package (in the bench jar, not the publisher's) because that class is package-private and a
 * benchmark should not widen a stage's API.
 */
public final class TrieStateProbe {

    private final TrieState state = new TrieState(2);

    public void assign(SidAssigned assigned) {
        state.assign(assigned);
    }

    public void remove(String videoId) {
        state.remove(videoId);
    }

    public List<TrieUpdate> snapshots(int chunkSize, Instant now) {
        return state.snapshots(chunkSize, now, false);
    }

    public List<TrieUpdate> deltas(Instant now) {
        return state.deltas(now);
    }
}
