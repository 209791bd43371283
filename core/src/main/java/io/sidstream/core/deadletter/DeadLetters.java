package io.sidstream.core.deadletter;

import io.sidstream.core.topic.Topic;
import io.sidstream.schemas.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;

/** Builds dead letters: input that could not be accepted, with its reason and where it came from. */
public final class DeadLetters {

    private DeadLetters() {}

    /** A record read from Kafka that could not be used. */
    public static DeadLetter fromRecord(
            String topic,
            int partition,
            long offset,
            byte[] key,
            byte[] payload,
            String errorClass,
            String reason,
            String stage) {
        return DeadLetter.newBuilder()
                .setSourceTopic(topic)
                .setPartition(partition)
                .setOffset(offset)
                .setKey(wrap(key))
                .setPayload(wrap(payload))
                .setErrorClass(errorClass)
                .setReason(reason)
                .setStage(stage)
                .setFailedTime(Instant.now())
                .build();
    }

    /** The error class of a record without a value on a topic where that is not a tombstone. */
    public static final String NULL_VALUE = "NULL_VALUE";

    /**
     * A record whose value is null: on a compacted topic a tombstone (compaction's way to delete a key), nothing to
     * report; on any other topic an event that says nothing, so a dead letter rather than a silent drop.
     */
    public static Optional<DeadLetter> nullValue(String topic, int partition, long offset, byte[] key, String stage) {
        boolean compacted = Topic.byName(topic)
                .map(t -> t.cleanup() == Topic.Cleanup.COMPACT)
                .orElse(false);
        if (compacted) {
            return Optional.empty();
        }
        return Optional.of(fromRecord(
                topic,
                partition,
                offset,
                key,
                null,
                NULL_VALUE,
                "the record has no value (a tombstone on a topic that is not compacted): nothing to process",
                stage));
    }

    /** Input rejected before it reached Kafka (for example by the ingest gateway), kept as it was received. */
    public static DeadLetter rejectedInput(
            String topic, byte[] payload, String errorClass, String reason, String stage) {
        return DeadLetter.newBuilder()
                .setSourceTopic(topic)
                .setPartition(null)
                .setOffset(null)
                .setKey(null)
                .setPayload(wrap(payload))
                .setErrorClass(errorClass)
                .setReason(reason)
                .setStage(stage)
                .setFailedTime(Instant.now())
                .build();
    }

    private static ByteBuffer wrap(byte[] bytes) {
        return bytes == null ? null : ByteBuffer.wrap(bytes.clone());
    }
}
