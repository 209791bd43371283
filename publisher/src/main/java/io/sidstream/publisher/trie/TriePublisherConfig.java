package io.sidstream.publisher.trie;

import com.typesafe.config.Config;
import io.sidstream.core.config.SidstreamConfig;
import java.time.Duration;

/** The {@code publisher.trie} section. */
public record TriePublisherConfig(
        Duration deltaInterval,
        Duration snapshotInterval,
        int snapshotChunkSize,
        int versionsKept,
        String transactionalId) {

    public TriePublisherConfig {
        if (deltaInterval.isNegative() || deltaInterval.isZero()) {
            throw new IllegalArgumentException("publisher.trie.delta-interval must be positive, got " + deltaInterval);
        }
        if (snapshotInterval.compareTo(deltaInterval) < 0) {
            throw new IllegalArgumentException("publisher.trie.snapshot-interval must be at least the delta interval");
        }
        if (snapshotChunkSize < 1) {
            throw new IllegalArgumentException(
                    "publisher.trie.snapshot-chunk-size must be at least 1, got " + snapshotChunkSize);
        }
        if (versionsKept < 1) {
            throw new IllegalArgumentException("publisher.trie.versions-kept must be at least 1, got " + versionsKept);
        }
        if (transactionalId.isBlank()) {
            throw new IllegalArgumentException("publisher.trie.transactional-id must not be empty");
        }
    }

    public static TriePublisherConfig from(SidstreamConfig config) {
        Config c = config.section("publisher.trie");
        return new TriePublisherConfig(
                c.getDuration("delta-interval"),
                c.getDuration("snapshot-interval"),
                c.getInt("snapshot-chunk-size"),
                c.getInt("versions-kept"),
                c.getString("transactional-id"));
    }
}
