package io.sidstream.platform.check;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.topic.Topic;
import io.sidstream.core.topic.TopicScan;
import io.sidstream.schemas.SidAssigned;
import io.sidstream.schemas.TrainingExample;
import io.sidstream.schemas.VideoUploaded;
import io.sidstream.schemas.serde.AvroWireDeserializer;
import io.sidstream.schemas.serde.WireFormatException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;

/**
 * The project's own answer to "was anything lost?", read from the topics themselves (Flink's "this most likely
 * signals data loss" after a crash cannot tell): every upload that has had time to settle has a SID, a dead letter,
 * a removal, or waits for its embedding space's first codebook; no video has two SIDs of one codebook version; no
 * training example was written twice.
 */
public final class DeliveryCheck {

    private static final int NAMED = 10;

    /**
     * What the check found.
     *
     * @param missing   uploads with none of a SID, a dead letter, a removal or a reason to wait: lost
     * @param sidsTwice videos with more than one SID of the same codebook version
     */
    public record Report(
            int uploads,
            int withSid,
            int deadLettered,
            int removed,
            int waitingForCodebook,
            List<String> missing,
            List<String> sidsTwice,
            int examples,
            List<String> examplesTwice) {

        public boolean nothingLost() {
            return missing.isEmpty() && sidsTwice.isEmpty() && examplesTwice.isEmpty();
        }

        @Override
        public String toString() {
            return String.format(
                    """
                    uploads settled         : %,d
                      with a SID            : %,d
                      dead-lettered         : %,d
                      removed               : %,d
                      waiting for a codebook: %,d
                      missing               : %,d%s
                    SIDs written twice      : %,d%s
                    examples                : %,d, written twice: %,d%s
                    %s""",
                    uploads,
                    withSid,
                    deadLettered,
                    removed,
                    waitingForCodebook,
                    missing.size(),
                    named(missing),
                    sidsTwice.size(),
                    named(sidsTwice),
                    examples,
                    examplesTwice.size(),
                    named(examplesTwice),
                    nothingLost() ? "nothing lost, nothing written twice" : "DELIVERY CHECK FAILED");
        }

        private static String named(List<String> ids) {
            return ids.isEmpty()
                    ? ""
                    : " " + ids.subList(0, Math.min(NAMED, ids.size())) + (ids.size() > NAMED ? "..." : "");
        }
    }

    private DeliveryCheck() {}

    /** Checks the uploads written at least {@code settle} ago (younger ones may still be on their way to a SID). */
    public static Report run(SidstreamConfig config, Duration settle, Clock clock) {
        long settledBefore = clock.millis() - settle.toMillis();
        Set<String> codebookSpaces = new HashSet<>();
        TopicScan.all(config, Topic.CODEBOOKS.topicName(), r -> {
            if (r.value() != null && r.key() != null) {
                codebookSpaces.add(r.key());
            }
        });
        Set<String> removed = keys(config, Topic.VIDEO_REMOVALS.topicName());
        Set<String> deadLettered = keys(config, Topic.VIDEO_UPLOADS.deadLetterTopic());
        Map<String, Integer> sidsPerVersion = new HashMap<>();
        Set<String> withSid = new HashSet<>();
        forEachDecodable(config, Topic.SID_ASSIGNMENTS, SidAssigned.class, (key, sid) -> {
            withSid.add(sid.getVideoId());
            sidsPerVersion.merge(sid.getVideoId() + " @ " + sid.getCodebookVersion(), 1, Integer::sum);
        });
        int[] counts = new int[5];
        List<String> missing = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try (AvroWireDeserializer<VideoUploaded> uploads =
                AvroWireDeserializer.create(config.registry(), VideoUploaded.class)) {
            TopicScan.all(config, Topic.VIDEO_UPLOADS.topicName(), r -> {
                if (r.timestamp() > settledBefore || r.key() == null || !seen.add(r.key())) {
                    return;
                }
                counts[0]++;
                String video = r.key();
                if (withSid.contains(video)) {
                    counts[1]++;
                } else if (deadLettered.contains(video)) {
                    counts[2]++;
                } else if (removed.contains(video)) {
                    counts[3]++;
                } else if (r.value() != null && waitsForCodebook(uploads, r.value(), codebookSpaces, config)) {
                    counts[4]++;
                } else {
                    missing.add(video);
                }
            });
        }
        List<String> sidsTwice = sidsPerVersion.entrySet().stream()
                .filter(e -> e.getValue() > 1)
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
        Map<String, Integer> examplesSeen = new HashMap<>();
        forEachDecodable(
                config,
                Topic.TRAINING_EXAMPLES,
                TrainingExample.class,
                (key, example) -> examplesSeen.merge(example.getExampleId(), 1, Integer::sum));
        List<String> examplesTwice = examplesSeen.entrySet().stream()
                .filter(e -> e.getValue() > 1)
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
        return new Report(
                counts[0],
                counts[1],
                counts[2],
                counts[3],
                counts[4],
                missing,
                sidsTwice,
                examplesSeen.size(),
                examplesTwice);
    }

    /** An upload in a space without any codebook yet waits for one (counted and alerted on), it is not lost. */
    private static boolean waitsForCodebook(
            AvroWireDeserializer<VideoUploaded> uploads,
            byte[] value,
            Set<String> codebookSpaces,
            SidstreamConfig config) {
        try {
            VideoUploaded upload = uploads.deserialize(Topic.VIDEO_UPLOADS.topicName(), value);
            String space = upload.getContentEmbedding() == null
                            || upload.getContentEmbedding().isEmpty()
                    ? config.section("sid").getString("embedding-model")
                    : upload.getEmbeddingModel();
            return !codebookSpaces.contains(space);
        } catch (WireFormatException e) {
            return false; // undecodable and not dead-lettered: that is a loss
        }
    }

    private static Set<String> keys(SidstreamConfig config, String topic) {
        Set<String> keys = new HashSet<>();
        TopicScan.all(config, topic, r -> {
            if (r.key() != null) {
                keys.add(r.key());
            }
        });
        return keys;
    }

    /** Every record of a topic that decodes; what does not is dead-lettered by the topic's consumers. */
    private static <V extends SpecificRecord> void forEachDecodable(
            SidstreamConfig config, Topic topic, Class<V> type, java.util.function.BiConsumer<String, V> each) {
        try (AvroWireDeserializer<V> decoder = AvroWireDeserializer.create(config.registry(), type)) {
            TopicScan.all(config, topic.topicName(), r -> {
                if (r.value() == null) {
                    return;
                }
                try {
                    each.accept(r.key(), decoder.deserialize(r.topic(), r.value()));
                } catch (WireFormatException e) {
                    // garbage on the topic: its consumers dead-letter it
                }
            });
        }
    }
}
