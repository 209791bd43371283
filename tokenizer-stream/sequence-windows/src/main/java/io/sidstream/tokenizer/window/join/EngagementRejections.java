package io.sidstream.tokenizer.window.join;

import io.sidstream.core.deadletter.DeadLetters;
import io.sidstream.core.topic.Topic;
import io.sidstream.schemas.DeadLetter;
import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.serde.AvroWireSerializer;
import io.sidstream.schemas.serde.RegistryConfig;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Dead letters for engagements the job accepted from Kafka but could not use (late, unresolved, removed video). The
 * payload is the engagement in the registry wire format, so the DLQ can be replayed into {@code engagements} as is;
 * the partition and offset are the engagement's own on that topic, as for a record rejected at decoding. Where they
 * are not known the letter leaves them null and its reason says so.
 */
public final class EngagementRejections implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final String LATE = "LATE_EVENT";
    public static final String UNRESOLVED = "UNRESOLVED_VIDEO";
    public static final String REMOVED = "VIDEO_REMOVED";
    /** What the reason of a letter without partition and offset says about them. */
    public static final String POSITION_UNKNOWN = "partition and offset unknown";

    private final RegistryConfig registry;
    private final String stage;
    private transient AvroWireSerializer<Engagement> serializer;

    public EngagementRejections(RegistryConfig registry, String stage) {
        this.registry = registry;
        this.stage = stage;
    }

    public DeadLetter reject(SourcedEngagement sourced, String errorClass, String reason) {
        if (serializer == null) {
            serializer = AvroWireSerializer.create(registry, Engagement.class);
        }
        Engagement engagement = sourced.engagement;
        String topic = Topic.ENGAGEMENTS.topicName();
        byte[] payload = serializer.serialize(topic, engagement);
        // keyed like the engagements topic (user id), so a replay of the DLQ lands in the same partitions
        byte[] key = engagement.getUserId().getBytes(StandardCharsets.UTF_8);
        String event = " (event " + engagement.getEventId();
        if (sourced.partition == null || sourced.offset == null) {
            DeadLetter letter = DeadLetters.rejectedInput(
                    topic, payload, errorClass, reason + event + "; " + POSITION_UNKNOWN + ")", stage);
            letter.setKey(ByteBuffer.wrap(key));
            return letter;
        }
        return DeadLetters.fromRecord(
                topic, sourced.partition, sourced.offset, key, payload, errorClass, reason + event + ")", stage);
    }
}
