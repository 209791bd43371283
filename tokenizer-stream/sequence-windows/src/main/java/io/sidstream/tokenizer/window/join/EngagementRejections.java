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
 * payload is the engagement in the registry wire format, so the DLQ can be replayed into {@code engagements} as is.
 */
public final class EngagementRejections implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final String LATE = "LATE_EVENT";
    public static final String UNRESOLVED = "UNRESOLVED_VIDEO";
    public static final String REMOVED = "VIDEO_REMOVED";

    private final RegistryConfig registry;
    private final String stage;
    private transient AvroWireSerializer<Engagement> serializer;

    public EngagementRejections(RegistryConfig registry, String stage) {
        this.registry = registry;
        this.stage = stage;
    }

    public DeadLetter reject(Engagement engagement, String errorClass, String reason) {
        if (serializer == null) {
            serializer = AvroWireSerializer.create(registry, Engagement.class);
        }
        String topic = Topic.ENGAGEMENTS.topicName();
        DeadLetter letter = DeadLetters.rejectedInput(topic, serializer.serialize(topic, engagement), errorClass,
                reason + " (event " + engagement.getEventId() + ")", stage);
        // keyed like the engagements topic (user id), so a replay of the DLQ lands in the same partitions
        letter.setKey(ByteBuffer.wrap(engagement.getUserId().getBytes(StandardCharsets.UTF_8)));
        return letter;
    }
}
