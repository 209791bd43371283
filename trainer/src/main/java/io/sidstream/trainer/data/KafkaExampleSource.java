package io.sidstream.trainer.data;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.deadletter.DecodingConsumer;
import io.sidstream.core.topic.Topic;
import io.sidstream.schemas.TrainingExample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the {@code training-examples} topic through core's {@link DecodingConsumer} (undecodable records go to the
 * dead-letter topic), assigned to every partition and positioned by the offsets the caller passes in. The consumer
 * group's committed offsets are not used to resume: the checkpoint's are.
 */
public final class KafkaExampleSource implements ExampleSource {

    private final DecodingConsumer<TrainingExample> consumer;
    private final String topic;
    private final Duration pollTimeout;
    private final List<TopicPartition> partitions;

    public KafkaExampleSource(SidstreamConfig config, String groupId, Duration pollTimeout) {
        this.topic = Topic.TRAINING_EXAMPLES.topicName();
        this.pollTimeout = pollTimeout;
        this.consumer =
                new DecodingConsumer<>(config.kafka(), config.registry(), groupId, TrainingExample.class, "trainer");
        List<PartitionInfo> infos = consumer.kafkaConsumer().partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            consumer.close();
            throw new IllegalStateException("topic " + topic + " does not exist; create the catalog topics first");
        }
        partitions = infos.stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(partitions);
    }

    @Override
    public Read readSince(Map<Integer, Long> from) {
        Consumer<byte[], byte[]> raw = consumer.kafkaConsumer();
        Map<TopicPartition, Long> end = raw.endOffsets(partitions);
        Map<TopicPartition, Long> beginning = raw.beginningOffsets(partitions);
        for (TopicPartition tp : partitions) {
            long start = Math.max(from.getOrDefault(tp.partition(), 0L), beginning.get(tp));
            raw.seek(tp, start);
        }
        List<TrainingExample> examples = new ArrayList<>();
        long deadBefore = consumer.deadLettered();
        while (!reached(raw, end)) {
            for (ConsumerRecord<String, TrainingExample> record : consumer.poll(pollTimeout)) {
                TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                if (record.offset() < end.get(tp)) {
                    examples.add(record.value());
                }
            }
        }
        Map<Integer, Long> next = new HashMap<>();
        for (TopicPartition tp : partitions) {
            next.put(tp.partition(), end.get(tp));
        }
        consumer.commit(); // makes the dead letters durable; the group offsets themselves are informational
        return new Read(examples, next, consumer.deadLettered() - deadBefore);
    }

    /** Every partition's position is at or past the end offset captured when the read began. */
    private boolean reached(Consumer<byte[], byte[]> raw, Map<TopicPartition, Long> end) {
        for (TopicPartition tp : partitions) {
            if (raw.position(tp) < end.get(tp)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public long pending(Map<Integer, Long> from) {
        Map<TopicPartition, Long> end = consumer.kafkaConsumer().endOffsets(partitions);
        long pending = 0;
        for (TopicPartition tp : partitions) {
            pending += Math.max(0, end.get(tp) - from.getOrDefault(tp.partition(), 0L));
        }
        return pending;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
