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
import io.sidstream.schemas.serde.RegistryConfig;
import io.sidstream.tokenizer.window.Fixtures;
import io.sidstream.tokenizer.window.WindowsConfig;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.types.Either;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SidJoinTest {

    private static final WindowsConfig CONFIG = Fixtures.config(50);

    private KeyedTwoInputStreamOperatorTestHarness<String, Engagement, Either<SidAssigned, VideoRemoved>, ResolvedEngagement> harness;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
                new SidJoin(CONFIG, new EngagementRejections(RegistryConfig.mock("sid-join-test"), "test")),
                Engagement::getVideoId, change -> change.isLeft() ? change.left().getVideoId() : change.right().getVideoId(),
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
        assertThat(harness.extractOutputValues()).extracting(r -> r.engagement.getEventId()).containsExactly("e1", "e2");

        // their timeouts pass without a dead letter: they were released
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
        });
        // a SID arriving afterwards does not bring it back: it is in the DLQ, once
        assignment(sid("v9", "cb-1", 1, 1, 1, 0));
        assertThat(harness.extractOutputValues()).isEmpty();
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

        engagement(watch("late", "u1", "v1", 0.7, 600 - lateness - 1));
        engagement(watch("just-in-time", "u1", "v1", 0.7, 600 - lateness));
        engagement(watch("out-of-order", "u1", "v1", 0.7, 590));

        assertThat(harness.getSideOutput(SidJoin.LATE)).extracting(r -> r.getValue().getEventId()).containsExactly("late");
        assertThat(harness.extractOutputValues()).extracting(r -> r.engagement.getEventId())
                .containsExactly("just-in-time", "out-of-order");
    }

    @Test
    void aRemovedVideoTurnsItsEngagementsIntoDeadLettersWaitingOnesIncluded() throws Exception {
        engagement(watch("waiting", "u1", "v1", 0.7, 0));
        removal(removed("v1"));
        engagement(watch("after", "u2", "v1", 0.7, 1));

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(deadLetters()).extracting(DeadLetter::getErrorClass)
                .containsExactly(EngagementRejections.REMOVED, EngagementRejections.REMOVED);
        assertThat(deadLetters()).extracting(DeadLetter::getReason).anySatisfy(r -> assertThat(r).contains("waiting"));
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

        assertThat(harness.extractOutputValues()).extracting(r -> r.engagement.getEventId() + ":" + r.codebookVersion)
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
        assertThat(harness.extractOutputValues()).extracting(r -> r.engagement.getEventId()).containsExactly("waiting", "e2");
    }

    private void engagement(Engagement engagement) throws Exception {
        harness.processElement1(new StreamRecord<>(engagement, engagement.getEventTime().toEpochMilli()));
    }

    private void assignment(SidAssigned assigned) throws Exception {
        harness.processElement2(new StreamRecord<>(Either.Left(assigned)));
    }

    private void removal(VideoRemoved removed) throws Exception {
        harness.processElement2(new StreamRecord<>(Either.Right(removed)));
    }

    private List<DeadLetter> deadLetters() {
        return harness.getSideOutput(DeadLetterOutput.TAG) == null ? List.of()
                : harness.getSideOutput(DeadLetterOutput.TAG).stream().map(StreamRecord::getValue).toList();
    }
}
