package io.sidstream.tokenizer.window.join;

import static io.sidstream.tokenizer.window.Fixtures.like;
import static io.sidstream.tokenizer.window.Fixtures.removed;
import static io.sidstream.tokenizer.window.Fixtures.sid;
import static io.sidstream.tokenizer.window.Fixtures.watch;
import static org.assertj.core.api.Assertions.assertThat;

import io.sidstream.flink.kafka.DeadLetterOutput;
import io.sidstream.schemas.DeadLetter;
import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.SidAssigned;
import io.sidstream.schemas.VideoRemoved;
import io.sidstream.schemas.serde.AvroWireDeserializer;
import io.sidstream.schemas.serde.RegistryConfig;
import io.sidstream.tokenizer.window.Fixtures;
import io.sidstream.tokenizer.window.WindowTypes;
import io.sidstream.tokenizer.window.WindowsConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.types.Either;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SidJoinTest {

    private static final WindowsConfig CONFIG = Fixtures.config(50);

    private KeyedTwoInputStreamOperatorTestHarness<
                    String, SourcedEngagement, Either<SidAssigned, VideoRemoved>, ResolvedEngagement>
            harness;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
                new SidJoin(CONFIG, new EngagementRejections(RegistryConfig.mock("sid-join-test"), "test")),
                sourced -> sourced.engagement.getVideoId(),
                change -> change.isLeft()
                        ? change.left().getVideoId()
                        : change.right().getVideoId(),
                Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void anEngagementWhoseVideoHasASidLeavesJoinedAtOnce() throws Exception {
        assignment(sid("v1", "cb-1", 1, 2, 3, 0));
        engagement(watch("e1", "u1", "v1", 0.7, 0));

        assertThat(harness.extractOutputValues()).singleElement().satisfies(r -> {
            assertThat(r.engagement.getEventId()).isEqualTo("e1");
            assertThat(r.sid).containsExactly(1, 2, 3, 0);
            assertThat(r.codebookVersion).isEqualTo("cb-1");
        });
    }

    @Test
    void anEngagementWaitsForItsSidAndLeavesWhenItArrives() throws Exception {
        harness.setProcessingTime(1_000);
        engagement(watch("e1", "u1", "v1", 0.7, 0));
        engagement(like("e2", "u2", "v1", 1));
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.setProcessingTime(20_000);
        assignment(sid("v1", "cb-1", 4, 5, 6, 1));
        assertThat(harness.extractOutputValues())
                .extracting(r -> r.engagement.getEventId())
                .containsExactly("e1", "e2");
        // released: nothing of them is left to wait, not even their timeout
        assertThat(pending("v1")).isEmpty();
        assertThat(harness.numProcessingTimeTimers()).isZero();

        harness.setProcessingTime(100_000);
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void anEngagementWithoutSidWithinTheTimeoutBecomesAnUnresolvedDeadLetter() throws Exception {
        harness.setProcessingTime(1_000);
        engagement(watch("e1", "u1", "v9", 0.7, 0));

        harness.setProcessingTime(1_000 + CONFIG.unresolvedTimeout().toMillis() - 1);
        assertThat(deadLetters()).isEmpty();
        harness.setProcessingTime(1_000 + CONFIG.unresolvedTimeout().toMillis());

        assertThat(deadLetters()).singleElement().satisfies(letter -> {
            assertThat(letter.getErrorClass()).isEqualTo(EngagementRejections.UNRESOLVED);
            assertThat(letter.getReason()).contains("v9").contains("e1");
            assertThat(letter.getSourceTopic()).isEqualTo("engagements");
            assertThat(letter.getStage()).isEqualTo("test");
            // injected without a Kafka source: the letter says it does not know where the record was
            assertThat(letter.getPartition()).isNull();
            assertThat(letter.getOffset()).isNull();
            assertThat(letter.getReason()).contains(EngagementRejections.POSITION_UNKNOWN);
        });
        // a SID arriving afterwards does not bring it back: it is in the DLQ, once
        assignment(sid("v9", "cb-1", 1, 1, 1, 0));
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void anUnresolvedEngagementsDeadLetterNamesItsPartitionAndOffsetAndNothingOfItStays() throws Exception {
        harness.setProcessingTime(1_000);
        Engagement engagement = watch("e1", "u1", "v9", 0.7, 0);
        engagement(at(3, 1_234, engagement));
        // the position waits with the engagement, in state
        assertThat(pending("v9")).singleElement().satisfies(waiting -> {
            assertThat(waiting.partition).isEqualTo(3);
            assertThat(waiting.offset).isEqualTo(1_234L);
        });
        assertThat(harness.numProcessingTimeTimers()).isOne();

        harness.setProcessingTime(1_000 + CONFIG.unresolvedTimeout().toMillis());

        assertThat(deadLetters()).singleElement().satisfies(letter -> {
            assertThat(letter.getErrorClass()).isEqualTo(EngagementRejections.UNRESOLVED);
            assertThat(letter.getSourceTopic()).isEqualTo("engagements");
            assertThat(letter.getPartition()).isEqualTo(3);
            assertThat(letter.getOffset()).isEqualTo(1_234L);
            assertThat(letter.getReason()).contains("e1").doesNotContain(EngagementRejections.POSITION_UNKNOWN);
            assertThat(StandardCharsets.UTF_8
                            .decode(letter.getKey().duplicate())
                            .toString())
                    .isEqualTo("u1");
            assertThat(decode(letter.getPayload())).isEqualTo(engagement);
        });
        assertThat(pending("v9")).isEmpty();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void removedVideoDeadLettersNameThePositionsOfTheirEngagementsWaitingOnesIncluded() throws Exception {
        harness.setProcessingTime(1_000);
        engagement(at(0, 7, watch("waiting", "u1", "v1", 0.7, 0)));
        removal(removed("v1"));
        engagement(at(1, 8, watch("after", "u2", "v1", 0.7, 1)));

        assertThat(deadLetters())
                .extracting(letter -> letter.getErrorClass() + " " + letter.getPartition() + ":" + letter.getOffset())
                .containsExactly(EngagementRejections.REMOVED + " 0:7", EngagementRejections.REMOVED + " 1:8");
        assertThat(pending("v1")).isEmpty();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    /**
     * State written before waiting engagements kept their position still restores, on either backend: the snapshots
     * in {@code src/test/resources/state} were taken from the join of commit 7472df4 (before positions), at processing
     * time 1 000, with the SID of v1 known and engagements "waiting" (v2) and "never" (v3) waiting for theirs. Their
     * letters say the position is unknown rather than invent one.
     */
    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void stateFromBeforePositionsRestoresAndItsLettersSayThePositionIsUnknown(String backend) throws Exception {
        harness.close();
        OperatorSubtaskState snapshot = OperatorSnapshotUtil.readStateHandle(Path.of(SidJoinTest.class
                        .getResource("/state/sid-join-v1-" + backend + ".snapshot")
                        .toURI())
                .toString());
        harness = ProcessFunctionTestHarnessesWithState.restore(
                CONFIG,
                snapshot,
                backend.equals("rocksdb") ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend());

        assertThat(pending("v2")).singleElement().satisfies(waiting -> {
            assertThat(waiting.engagement.getEventId()).isEqualTo("waiting");
            assertThat(waiting.partition).isNull();
            assertThat(waiting.offset).isNull();
        });
        engagement(at(0, 5, like("e2", "u1", "v1", 2)));
        assignment(sid("v2", "cb-1", 4, 4, 4, 0));
        assertThat(harness.extractOutputValues())
                .extracting(r -> r.engagement.getEventId())
                .containsExactly("e2", "waiting");

        harness.setProcessingTime(1_000 + CONFIG.unresolvedTimeout().toMillis());
        assertThat(deadLetters()).singleElement().satisfies(letter -> {
            assertThat(letter.getErrorClass()).isEqualTo(EngagementRejections.UNRESOLVED);
            assertThat(letter.getReason()).contains("never").contains(EngagementRejections.POSITION_UNKNOWN);
            assertThat(letter.getPartition()).isNull();
            assertThat(letter.getOffset()).isNull();
        });
        assertThat(pending("v3")).isEmpty();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void aRedeliveredEventIsIgnoredWithinTheDedupHorizon() throws Exception {
        assignment(sid("v1", "cb-1", 1, 2, 3, 0));
        harness.setStateTtlProcessingTime(0);
        engagement(watch("e1", "u1", "v1", 0.7, 0));
        engagement(watch("e1", "u1", "v1", 0.7, 0));
        harness.setStateTtlProcessingTime(CONFIG.dedupHorizon().toMillis() - 1);
        engagement(watch("e1", "u1", "v1", 0.7, 0));
        assertThat(harness.extractOutputValues()).hasSize(1);

        // past the horizon the id is forgotten: that is what the horizon bounds
        harness.setStateTtlProcessingTime(CONFIG.dedupHorizon().toMillis() + 1);
        engagement(watch("e1", "u1", "v1", 0.7, 0));
        assertThat(harness.extractOutputValues()).hasSize(2);
    }

    @Test
    void anEngagementOlderThanTheWatermarkMinusTheAllowedLatenessGoesToTheLateOutput() throws Exception {
        assignment(sid("v1", "cb-1", 1, 2, 3, 0));
        long watermark = Fixtures.T0.plusSeconds(600).toEpochMilli();
        harness.processWatermark1(new Watermark(watermark));
        harness.processWatermark2(new Watermark(Long.MAX_VALUE));
        long lateness = CONFIG.allowedLateness().toSeconds();

        engagement(at(2, 99, watch("late", "u1", "v1", 0.7, 600 - lateness - 1)));
        engagement(watch("just-in-time", "u1", "v1", 0.7, 600 - lateness));
        engagement(watch("out-of-order", "u1", "v1", 0.7, 590));

        // with its position, which the job's late dead letter names
        assertThat(harness.getSideOutput(SidJoin.LATE))
                .extracting(StreamRecord::getValue)
                .containsExactly(at(2, 99, watch("late", "u1", "v1", 0.7, 600 - lateness - 1)));
        assertThat(harness.extractOutputValues())
                .extracting(r -> r.engagement.getEventId())
                .containsExactly("just-in-time", "out-of-order");
    }

    @Test
    void aRemovedVideoTurnsItsEngagementsIntoDeadLettersWaitingOnesIncluded() throws Exception {
        engagement(watch("waiting", "u1", "v1", 0.7, 0));
        removal(removed("v1"));
        engagement(watch("after", "u2", "v1", 0.7, 1));

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(deadLetters())
                .extracting(DeadLetter::getErrorClass)
                .containsExactly(EngagementRejections.REMOVED, EngagementRejections.REMOVED);
        assertThat(deadLetters())
                .extracting(DeadLetter::getReason)
                .anySatisfy(r -> assertThat(r).contains("waiting"));
    }

    @Test
    void theLatestAssignmentWinsSoANewCodebookVersionTakesOver() throws Exception {
        assignment(sid("v1", "cb-1", 1, 2, 3, 0));
        assignment(sid("v1", "cb-2", 7, 8, 9, 0));
        engagement(watch("e1", "u1", "v1", 0.7, 0));

        assertThat(harness.extractOutputValues()).singleElement().satisfies(r -> {
            assertThat(r.codebookVersion).isEqualTo("cb-2");
            assertThat(r.sid).containsExactly(7, 8, 9, 0);
        });
    }

    @Test
    void aChangeAfterAnEngagementReadTheSidAppliesToTheNextEngagement() throws Exception {
        // the join keeps recently read SIDs on heap: a later assignment or removal must replace them there too
        assignment(sid("v1", "cb-1", 1, 2, 3, 0));
        engagement(watch("e1", "u1", "v1", 0.7, 0));
        assignment(sid("v1", "cb-2", 7, 8, 9, 0));
        engagement(watch("e2", "u1", "v1", 0.7, 1));
        removal(removed("v1"));
        engagement(watch("e3", "u1", "v1", 0.7, 2));

        assertThat(harness.extractOutputValues())
                .extracting(r -> r.engagement.getEventId() + ":" + r.codebookVersion)
                .containsExactly("e1:cb-1", "e2:cb-2");
        assertThat(deadLetters()).extracting(DeadLetter::getErrorClass).containsExactly(EngagementRejections.REMOVED);
    }

    @Test
    void theWaitingEngagementsAndTheSidSurviveASnapshotAndRestore() throws Exception {
        assignment(sid("v1", "cb-1", 1, 2, 3, 0));
        harness.setProcessingTime(1_000);
        engagement(watch("waiting", "u1", "v2", 0.7, 0));
        var snapshot = harness.snapshot(1L, 1L);
        harness.close();

        harness = ProcessFunctionTestHarnessesWithState.restore(CONFIG, snapshot);
        assignment(sid("v2", "cb-1", 4, 4, 4, 0));
        engagement(watch("e2", "u1", "v1", 0.7, 1));
        assertThat(harness.extractOutputValues())
                .extracting(r -> r.engagement.getEventId())
                .containsExactly("waiting", "e2");
    }

    /**
     * A waiting engagement costs a list entry and a processing-time timer; both must go whether it is released by its
     * SID or expires, or they pile up in RocksDB for every video that never gets one. What stays is the video's SID
     * (the catalog lives in this state by design) and, for the dedup horizon only, the event ids.
     */
    @Test
    void waitingEngagementsLeaveNoStateOrTimerBehindWhetherResolvedOrExpired() throws Exception {
        harness.setProcessingTime(1_000);
        harness.setStateTtlProcessingTime(1_000);
        engagement(watch("e1", "u1", "resolved", 0.7, 0));
        engagement(like("e2", "u2", "resolved", 1));
        engagement(watch("e3", "u1", "expires", 0.7, 2));
        assertThat(keysOf("pending-engagements")).containsExactlyInAnyOrder("resolved", "expires");
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(2);

        assignment(sid("resolved", "cb-1", 1, 2, 3, 0));
        assertThat(keysOf("pending-engagements")).containsExactly("expires");
        assertThat(harness.numProcessingTimeTimers()).isOne();

        harness.setProcessingTime(1_000 + CONFIG.unresolvedTimeout().toMillis());
        assertThat(deadLetters())
                .extracting(DeadLetter::getErrorClass)
                .containsExactly(EngagementRejections.UNRESOLVED);
        assertThat(keysOf("pending-engagements")).isEmpty();
        assertThat(keysOf("video-sid")).containsExactly("resolved");
        assertThat(keysOf("seen-event-ids")).containsExactlyInAnyOrder("resolved", "expires");
        assertThat(harness.numProcessingTimeTimers()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        // SID of "resolved" + event ids of both videos: one entry per (state, key)
        assertThat(harness.numKeyedStateEntries()).isEqualTo(3);
    }

    /** What keys hold state {@code name} (a state without any entry has no keys). */
    private List<String> keysOf(String name) throws Exception {
        KeyedStateBackend<String> backend = harness.getOperator().getKeyedStateBackend();
        try (var keys = backend.getKeys(name, VoidNamespace.INSTANCE)) {
            return keys.toList();
        }
    }

    /** An engagement injected without a Kafka source: its position is unknown. */
    private void engagement(Engagement engagement) throws Exception {
        engagement(SourcedEngagement.unplaced(engagement));
    }

    private void engagement(SourcedEngagement sourced) throws Exception {
        harness.processElement1(
                new StreamRecord<>(sourced, sourced.engagement.getEventTime().toEpochMilli()));
    }

    private static SourcedEngagement at(int partition, long offset, Engagement engagement) {
        return new SourcedEngagement(engagement, partition, offset);
    }

    /** What waits in the join's state for {@code videoId}'s SID. */
    private List<PendingEngagement> pending(String videoId) throws Exception {
        return pendingIn(harness, videoId);
    }

    static List<PendingEngagement> pendingIn(
            KeyedTwoInputStreamOperatorTestHarness<
                            String, SourcedEngagement, Either<SidAssigned, VideoRemoved>, ResolvedEngagement>
                    harness,
            String videoId)
            throws Exception {
        KeyedStateBackend<String> backend = harness.getOperator().getKeyedStateBackend();
        backend.setCurrentKey(videoId);
        Iterable<PendingEngagement> waiting = backend.getPartitionedState(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        new ListStateDescriptor<>("pending-engagements", WindowTypes.PENDING))
                .get();
        List<PendingEngagement> list = new java.util.ArrayList<>();
        if (waiting != null) {
            waiting.forEach(list::add);
        }
        return list;
    }

    private static Engagement decode(ByteBuffer payload) {
        byte[] bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        try (var decoder = AvroWireDeserializer.create(RegistryConfig.mock("sid-join-test"), Engagement.class)) {
            return decoder.deserialize("engagements", bytes);
        }
    }

    private void assignment(SidAssigned assigned) throws Exception {
        harness.processElement2(new StreamRecord<>(Either.Left(assigned)));
    }

    private void removal(VideoRemoved removed) throws Exception {
        harness.processElement2(new StreamRecord<>(Either.Right(removed)));
    }

    private List<DeadLetter> deadLetters() {
        return harness.getSideOutput(DeadLetterOutput.TAG) == null
                ? List.of()
                : harness.getSideOutput(DeadLetterOutput.TAG).stream()
                        .map(StreamRecord::getValue)
                        .toList();
    }
}
