package io.sidstream.core.deadletter;

import io.sidstream.schemas.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Instant;

/** Builds dead letters: input that could not be accepted, with its reason and where it came from. */
public final class DeadLetters {

    private DeadLetters() {
    }

    /** A record read from Kafka that could not be used. */
    public static DeadLetter fromRecord(String topic, int partition, long offset, byte[] key, byte[] payload,
                                        String errorClass, String reason, String stage) {
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

    /** Input rejected before it reached Kafka (for example by the ingest gateway), kept as it was received. */
    public static DeadLetter rejectedInput(String topic, byte[] payload, String errorClass, String reason, String stage) {
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
