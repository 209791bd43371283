package io.sidstream.serving.model;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.deadletter.DecodingConsumer;
import io.sidstream.core.topic.Topic;
import io.sidstream.schemas.CheckpointPublished;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Follows the compacted {@code checkpoints} topic for one model and hands every newer version to the
 * {@link ModelHolder}. At start it reads the topic to its end first and offers only the newest version there, so a
 * node that starts late loads one checkpoint, not the history.
 */
public final class CheckpointSubscriber implements Runnable {

    private final SidstreamConfig config;
    private final String modelName;
    private final String nodeId;
    private final ModelHolder holder;
    private final AtomicBoolean running = new AtomicBoolean(true);

    public CheckpointSubscriber(SidstreamConfig config, String modelName, String nodeId, ModelHolder holder) {
        this.config = config;
        this.modelName = modelName;
        this.nodeId = nodeId;
        this.holder = holder;
    }

    public void stop() {
        running.set(false);
    }

    @Override
    public void run() {
        try (DecodingConsumer<CheckpointPublished> consumer = new DecodingConsumer<>(
                config.kafka(),
                config.registry(),
                "serving-checkpoints-" + nodeId,
                CheckpointPublished.class,
                "serving-checkpoints")) {
            List<TopicPartition> partitions =
                    consumer.kafkaConsumer().partitionsFor(Topic.CHECKPOINTS.topicName()).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.kafkaConsumer().seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.kafkaConsumer().endOffsets(partitions);
            CheckpointPublished newest = null;
            boolean caughtUp = false;
            while (running.get()) {
                for (ConsumerRecord<String, CheckpointPublished> record : consumer.poll(Duration.ofMillis(200))) {
                    CheckpointPublished announcement = record.value();
                    if (!modelName.equals(announcement.getModelName())) {
                        continue;
                    }
                    if (newest == null || announcement.getVersion() > newest.getVersion()) {
                        newest = announcement;
                        if (caughtUp) {
                            holder.offer(announcement);
                        }
                    }
                }
                if (!caughtUp
                        && end.entrySet().stream()
                                .allMatch(e -> consumer.kafkaConsumer().position(e.getKey()) >= e.getValue())) {
                    caughtUp = true;
                    if (newest != null) {
                        holder.offer(newest);
                    }
                }
            }
        }
    }
}
