package io.sidstream.core.testing;

import io.sidstream.core.topic.Topic;
import io.sidstream.schemas.CheckpointPublished;
import io.sidstream.schemas.CodebookPublished;
import io.sidstream.schemas.CodebookQuality;
import io.sidstream.schemas.DeadLetter;
import io.sidstream.schemas.Device;
import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.EventType;
import io.sidstream.schemas.HistoryItem;
import io.sidstream.schemas.RemovalReason;
import io.sidstream.schemas.RequestContext;
import io.sidstream.schemas.SidAssigned;
import io.sidstream.schemas.SidEntry;
import io.sidstream.schemas.Surface;
import io.sidstream.schemas.TrainerAction;
import io.sidstream.schemas.TrainerCommand;
import io.sidstream.schemas.TrainingExample;
import io.sidstream.schemas.TrieUpdate;
import io.sidstream.schemas.TrieUpdateKind;
import io.sidstream.schemas.VideoRemoved;
import io.sidstream.schemas.VideoUploaded;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** One valid, fully populated record of every contract (optional fields set), for round-trip tests. */
public final class SampleRecords {

    public static final Instant T0 = Instant.parse("2026-11-01T12:00:00Z");

    private SampleRecords() {}

    /** A sample value for a catalog topic. */
    public static SpecificRecord forTopic(Topic topic) {
        return switch (topic) {
            case VIDEO_UPLOADS -> upload("v1");
            case VIDEO_REMOVALS ->
                VideoRemoved.newBuilder()
                        .setVideoId("v1")
                        .setReason(RemovalReason.COPYRIGHT)
                        .setRemovedTime(T0.plusSeconds(60))
                        .build();
            case ENGAGEMENTS -> engagement("e1", "u1", "v1");
            case SID_ASSIGNMENTS ->
                SidAssigned.newBuilder()
                        .setVideoId("v1")
                        .setCodes(List.of(12, 24, 52, 0))
                        .setCodebookVersion("cb-1")
                        .setEmbeddingModel("all-minilm-l6-v2")
                        .setUploadTime(T0)
                        .setAssignedTime(T0.plusMillis(150))
                        .build();
            case CODEBOOKS ->
                CodebookPublished.newBuilder()
                        .setCodebookVersion("cb-1")
                        .setEmbeddingModel("all-minilm-l6-v2")
                        .setEmbeddingDim(384)
                        .setLevels(3)
                        .setCodesPerLevel(256)
                        .setUri("file:///codebooks/cb-1")
                        .setSha256("ab".repeat(32))
                        .setPayload(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                        .setQuality(CodebookQuality.newBuilder()
                                .setItems(50_000)
                                .setCodeUtilisation(List.of(1.0, 0.99, 0.95))
                                .setCollisionShare(0.03)
                                .setLargestPrefixGroup(4)
                                .setReconstructionError(0.12)
                                .build())
                        .setPublishedTime(T0)
                        .build();
            case TRAINING_EXAMPLES -> trainingExample();
            case CHECKPOINTS ->
                CheckpointPublished.newBuilder()
                        .setModelName("gr-default")
                        .setVersion(7)
                        .setUri("file:///checkpoints/gr-default/7")
                        .setManifestSha256("cd".repeat(32))
                        .setCodebookVersion("cb-1")
                        .setMetrics(Map.of("recall_at_10", 0.21))
                        .setDataWatermark(T0)
                        .setSourceOffsets(Map.of("training-examples-0", 1234L))
                        .setParentVersion(6L)
                        .setPublishedTime(T0.plusSeconds(5))
                        .build();
            case TRIE_UPDATES ->
                TrieUpdate.newBuilder()
                        .setCodebookVersion("cb-1")
                        .setSequence(42)
                        .setKind(TrieUpdateKind.DELTA)
                        .setChunkIndex(0)
                        .setChunkCount(1)
                        .setAdded(List.of(SidEntry.newBuilder()
                                .setVideoId("v2")
                                .setCodes(List.of(1, 2, 3, 0))
                                .setUploadTime(T0)
                                .build()))
                        .setRemovedVideoIds(List.of("v1"))
                        .setUpdateTime(T0)
                        .build();
            case TRAINER_CONTROL ->
                TrainerCommand.newBuilder()
                        .setRequestId("r1")
                        .setModelName("gr-default")
                        .setAction(TrainerAction.RUN_CYCLE)
                        .setRequestedBy("ops")
                        .setReason("fresh data after an outage")
                        .setRequestedTime(T0)
                        .build();
        };
    }

    public static VideoUploaded upload(String videoId) {
        return VideoUploaded.newBuilder()
                .setVideoId(videoId)
                .setCreatorId("c1")
                .setTitle("How to fold a paper crane")
                .setDescription("Origami basics")
                .setTags(List.of("origami", "howto"))
                .setLanguage("en")
                .setDurationMs(184_000)
                .setUploadTime(T0)
                .setContentEmbedding(List.of(0.1f, -0.2f, 0.3f))
                .setEmbeddingModel("upstream-clip")
                .build();
    }

    public static Engagement engagement(String eventId, String userId, String videoId) {
        return Engagement.newBuilder()
                .setEventId(eventId)
                .setUserId(userId)
                .setVideoId(videoId)
                .setEventType(EventType.WATCH)
                .setWatchTimeMs(120_000)
                .setVideoDurationMs(184_000)
                .setSurface(Surface.WATCH_NEXT)
                .setDevice(Device.MOBILE)
                .setCountry("DE")
                .setEventTime(T0.plusSeconds(30))
                .setContextVideoId("v0")
                .build();
    }

    public static TrainingExample trainingExample() {
        HistoryItem item = HistoryItem.newBuilder()
                .setVideoId("v0")
                .setSid(List.of(3, 4, 5, 0))
                .setEventType(EventType.LIKE)
                .setWatchBucket(4)
                .setSurface(Surface.HOME)
                .setDevice(Device.TV)
                .setTimeGapBucket(2)
                .setEventTime(T0)
                .build();
        return TrainingExample.newBuilder()
                .setExampleId("e1")
                .setUserId("u1")
                .setContext(RequestContext.newBuilder()
                        .setSurface(Surface.WATCH_NEXT)
                        .setDevice(Device.MOBILE)
                        .setCountry("DE")
                        .setHourOfDay(12)
                        .setContextVideoId("v0")
                        .build())
                .setHistory(List.of(item))
                .setTargetVideoId("v1")
                .setTargetSid(List.of(12, 24, 52, 0))
                .setTargetEventType(EventType.WATCH)
                .setEventTime(T0.plusSeconds(30))
                .setCodebookVersion("cb-1")
                .build();
    }

    public static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setSourceTopic("engagements")
                .setPartition(0)
                .setOffset(17L)
                .setKey(ByteBuffer.wrap("u1".getBytes()))
                .setPayload(ByteBuffer.wrap(new byte[] {9, 9}))
                .setErrorClass("BAD_MAGIC_BYTE")
                .setReason("first byte is 0x09")
                .setStage("test")
                .setFailedTime(T0)
                .build();
    }
}
