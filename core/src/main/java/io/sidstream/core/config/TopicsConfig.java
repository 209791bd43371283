package io.sidstream.core.config;

import java.util.Map;

/**
 * How topics are created.
 *
 * @param replicationFactor replicas of every topic
 * @param partitions        per-topic partition counts over the catalog's defaults, by topic name
 */
public record TopicsConfig(short replicationFactor, Map<String, Integer> partitions) {

    public TopicsConfig {
        if (replicationFactor < 1) {
            throw new IllegalArgumentException(
                    "topics.replication-factor must be at least 1, was " + replicationFactor);
        }
        partitions.forEach((topic, n) -> {
            if (n < 1) {
                throw new IllegalArgumentException("topics.partitions." + topic + " must be at least 1, was " + n);
            }
        });
        partitions = Map.copyOf(partitions);
    }
}
