package io.sidstream.core.topic;

import io.sidstream.schemas.CheckpointPublished;
import io.sidstream.schemas.CodebookPublished;
import io.sidstream.schemas.DeadLetter;
import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.SidAssigned;
import io.sidstream.schemas.TrainerCommand;
import io.sidstream.schemas.TrainingExample;
import io.sidstream.schemas.TrieUpdate;
import io.sidstream.schemas.VideoRemoved;
import io.sidstream.schemas.VideoUploaded;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * The topic catalog: every topic sidstream reads or writes, with the contract of its values and how it is kept.
 * Keys are UTF-8 strings (the id named in {@link #keyedBy()}); values are Avro in the Schema Registry wire format.
 */
public enum Topic {
    VIDEO_UPLOADS("video-uploads", VideoUploaded.class, "video id", Cleanup.DELETE, Duration.ofDays(7), 3, true),
    VIDEO_REMOVALS("video-removals", VideoRemoved.class, "video id", Cleanup.COMPACT, null, 1, true),
    ENGAGEMENTS("engagements", Engagement.class, "user id", Cleanup.DELETE, Duration.ofDays(7), 3, true),
    SID_ASSIGNMENTS("sid-assignments", SidAssigned.class, "video id", Cleanup.COMPACT, null, 3, true),
    CODEBOOKS("codebooks", CodebookPublished.class, "embedding model", Cleanup.COMPACT, null, 1, true),
    TRAINING_EXAMPLES(
            "training-examples", TrainingExample.class, "user id", Cleanup.DELETE, Duration.ofDays(7), 3, true),
    CHECKPOINTS("checkpoints", CheckpointPublished.class, "model name", Cleanup.COMPACT, null, 1, true),
    // one partition: sequence numbers order snapshots and deltas of a codebook version
    TRIE_UPDATES("trie-updates", TrieUpdate.class, "codebook version", Cleanup.DELETE, Duration.ofDays(1), 1, true),
    // requests are acted on while the trainer runs; a day of them is enough to see what was asked
    TRAINER_CONTROL("trainer-control", TrainerCommand.class, "model name", Cleanup.DELETE, Duration.ofDays(1), 1, true);

    /** Suffix of a topic's dead-letter topic. */
    public static final String DLQ_SUFFIX = ".dlq";
    /** Dead letters are kept long enough to investigate and replay them. */
    public static final Duration DLQ_RETENTION = Duration.ofDays(30);
    /** Codebooks and snapshot chunks carry large arrays; the default 1 MB record limit is too small for them. */
    public static final int LARGE_RECORD_BYTES = 16 * 1024 * 1024;

    private final String topicName;
    private final Class<? extends SpecificRecord> valueType;
    private final String keyedBy;
    private final Cleanup cleanup;
    private final Duration retention;
    private final int defaultPartitions;
    private final boolean hasDeadLetters;

    Topic(
            String topicName,
            Class<? extends SpecificRecord> valueType,
            String keyedBy,
            Cleanup cleanup,
            Duration retention,
            int defaultPartitions,
            boolean hasDeadLetters) {
        this.topicName = topicName;
        this.valueType = valueType;
        this.keyedBy = keyedBy;
        this.cleanup = cleanup;
        this.retention = retention;
        this.defaultPartitions = defaultPartitions;
        this.hasDeadLetters = hasDeadLetters;
    }

    public String topicName() {
        return topicName;
    }

    public String deadLetterTopic() {
        return topicName + DLQ_SUFFIX;
    }

    public Class<? extends SpecificRecord> valueType() {
        return valueType;
    }

    public String keyedBy() {
        return keyedBy;
    }

    public Cleanup cleanup() {
        return cleanup;
    }

    public boolean hasDeadLetters() {
        return hasDeadLetters;
    }

    public static Optional<Topic> byName(String name) {
        return Arrays.stream(values()).filter(t -> t.topicName.equals(name)).findFirst();
    }

    /** The topic and, if it has one, its dead-letter topic, as Kafka topic specifications. */
    public java.util.List<TopicSpec> specs(int partitions, short replicationFactor) {
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put("cleanup.policy", cleanup.policy);
        if (retention != null) {
            configs.put("retention.ms", String.valueOf(retention.toMillis()));
        }
        if (this == CODEBOOKS || this == TRIE_UPDATES || this == CHECKPOINTS) {
            configs.put("max.message.bytes", String.valueOf(LARGE_RECORD_BYTES));
        }
        TopicSpec main = new TopicSpec(topicName, partitions, replicationFactor, configs);
        if (!hasDeadLetters) {
            return java.util.List.of(main);
        }
        TopicSpec dlq = new TopicSpec(
                deadLetterTopic(),
                1,
                replicationFactor,
                Map.of(
                        "cleanup.policy", Cleanup.DELETE.policy,
                        "retention.ms", String.valueOf(DLQ_RETENTION.toMillis()),
                        "max.message.bytes", String.valueOf(LARGE_RECORD_BYTES)));
        return java.util.List.of(main, dlq);
    }

    public int defaultPartitions() {
        return defaultPartitions;
    }

    /** The value contract of a dead-letter topic. */
    public static Class<DeadLetter> deadLetterType() {
        return DeadLetter.class;
    }

    /** Kafka cleanup policies. */
    public enum Cleanup {
        DELETE("delete"),
        COMPACT("compact");

        final String policy;

        Cleanup(String policy) {
            this.policy = policy;
        }

        public String policy() {
            return policy;
        }
    }
}
