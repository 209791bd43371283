package io.sidstream.platform.status;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the status page shows beyond the metrics registry and the topics, from the parts the platform runs. Each
 * part may be absent (the page says so): the platform fills in what it started.
 */
public interface StatusSources {

    /** Training cycles, oldest first: cycle number, end time, loss, recall@10, gate outcome, published version. */
    default List<Map<String, Object>> trainingCycles() {
        return List.of();
    }

    /** The serving model: version, codebook version, age in seconds, trie size. */
    default Map<String, Object> serving() {
        return Map.of();
    }

    /** Asks the trainer for a cycle now (a request on {@code trainer-control}); its id, empty when no trainer runs. */
    default Optional<String> requestTrainingCycle(String reason) {
        return Optional.empty();
    }

    /**
     * Whether a training cycle ended after {@code requestedAtMillis}, so that a cycle requested then has run; true
     * when no trainer runs.
     */
    default boolean cycleEndedSince(long requestedAtMillis) {
        return true;
    }

    /** What the trainer is doing: idle or training, failures in a row, the last failure, back-off, quarantined versions. */
    default Map<String, Object> trainer() {
        return Map.of();
    }

    /** Recommendations for a user from the serving node, with titles; empty when no serving node runs. */
    default Optional<Map<String, Object>> recommend(String userId, int k) {
        return Optional.empty();
    }
}
