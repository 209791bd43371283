package io.sidstream.publisher.trie;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/** Whether consumers have read everything their partitions held when catching up began. */
final class CatchUp {

    private final Map<Consumer<?, ?>, Map<TopicPartition, Long>> targets = new HashMap<>();

    CatchUp(Consumer<?, ?>... consumers) {
        Arrays.stream(consumers).forEach(c -> targets.put(c, c.endOffsets(c.assignment())));
    }

    boolean done() {
        return targets.entrySet().stream()
                .allMatch(e -> e.getValue().entrySet().stream()
                        .allMatch(end -> e.getKey().position(end.getKey()) >= end.getValue()));
    }

    static Collection<TopicPartition> partitions(Consumer<?, ?> consumer, String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        if (partitions.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist: run 'sidstream topics' first");
        }
        return partitions;
    }
}
