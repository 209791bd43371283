package io.sidstream.platform.embedded;

import io.sidstream.core.topic.Topic;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/** Record counts per catalog topic (sum of end offsets), for the live summary line. */
public final class TopicActivity {

    private final Admin admin;

    public TopicActivity(Admin admin) {
        this.admin = admin;
    }

    public Map<String, Long> endOffsets() throws InterruptedException, ExecutionException {
        List<String> names = Arrays.stream(Topic.values())
                .flatMap(t -> t.hasDeadLetters()
                        ? java.util.stream.Stream.of(t.topicName(), t.deadLetterTopic())
                        : java.util.stream.Stream.of(t.topicName()))
                .toList();
        Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();
        admin.describeTopics(names)
                .allTopicNames()
                .get()
                .forEach((name, description) -> description
                        .partitions()
                        .forEach(p -> request.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> offsets =
                admin.listOffsets(request).all().get();
        Map<String, Long> counts = offsets.entrySet().stream()
                .collect(Collectors.groupingBy(
                        e -> e.getKey().topic(),
                        Collectors.summingLong(e -> e.getValue().offset())));
        Map<String, Long> ordered = new LinkedHashMap<>();
        names.forEach(n -> ordered.put(n, counts.getOrDefault(n, 0L)));
        return ordered;
    }

    /** "video-uploads=12 engagements=340 ..." with empty dead-letter topics left out. */
    static String summary(Map<String, Long> counts) {
        return counts.entrySet().stream()
                .filter(e -> !(e.getKey().endsWith(Topic.DLQ_SUFFIX) && e.getValue() == 0))
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }
}
