package io.sidstream.core.topic;

import java.util.Map;

/** A topic as it should exist on the cluster. */
public record TopicSpec(String name, int partitions, short replicationFactor, Map<String, String> configs) {

    public TopicSpec {
        configs = Map.copyOf(configs);
    }
}
