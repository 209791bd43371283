package io.sidstream.tokenizer.window.job;

import static io.sidstream.tokenizer.window.Fixtures.like;
import static io.sidstream.tokenizer.window.Fixtures.removed;
import static io.sidstream.tokenizer.window.Fixtures.sid;
import static io.sidstream.tokenizer.window.Fixtures.watch;
import static org.assertj.core.api.Assertions.assertThat;

import io.sidstream.flink.kafka.Decoded;
import io.sidstream.flink.testing.CollectingSink;
import io.sidstream.flink.testing.InMemorySource;
import io.sidstream.flink.testing.RunningJobs;
import io.sidstream.schemas.DeadLetter;
import io.sidstream.schemas.EventType;
import io.sidstream.schemas.HistoryItem;
import io.sidstream.schemas.SidAssigned;
import io.sidstream.schemas.TrainingExample;
import io.sidstream.schemas.VideoRemoved;
import io.sidstream.schemas.serde.RegistryConfig;
import io.sidstream.tokenizer.window.PositiveRule;
import io.sidstream.tokenizer.window.WindowTypes;
import io.sidstream.tokenizer.window.WindowsConfig;
import io.sidstream.tokenizer.window.join.EngagementRejections;
import io.sidstream.tokenizer.window.join.SourcedEngagement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Either;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole job on a MiniCluster with in-memory sources and sinks, through its constructor: no broker, so it runs in
 * seconds and checks the wiring (join, histories, every dead-letter path into the one sink). Exactly-once and restore
 * need Kafka and stay with {@link SequenceWindowsJobTest} and {@link SequenceWindowsRestoreTest}.
 */
class SequenceWindowsInMemoryTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(() -> new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(1)
                    .build());

    /** A 1 s SID timeout, so the unresolved engagement's letter comes quickly; a lateness no scripted event reaches. */
    private static final WindowsConfig CONFIG = new WindowsConfig(
            "test",
            "test",
            50,
            Set.of(EventType.IMPRESSION),
            Duration.ofSeconds(1),
            Duration.ofSeconds(5),
            Duration.ofSeconds(60),
            Duration.ofSeconds(10),
            Duration.ofHours(1),
            Duration.ofDays(7),
            new PositiveRule(0.5, Set.of(EventType.LIKE, EventType.SHARE)),
            false,
            "",
            "hashmap",
            128);

    private static final RegistryConfig REGISTRY = RegistryConfig.mock("windows-in-memory-test");

    @Test
    void engagementsWithSidsBecomeExamplesAndEveryOtherEndsAsADeadLetter() throws Exception {
        EngagementRejections rejections = new EngagementRejections(REGISTRY, "test");
        // the order between sources is not fixed: every outcome below is the same whether an engagement or its
        // video's SID (or removal) comes first, and a user's engagements share a video so their order holds too
        List<Either<DeadLetter, SourcedEngagement>> engagements = List.of(
                engagement(watch("e1", "u1", "v1", 0.2, 1)), // history only
                engagement(like("e2", "u1", "v1", 10)), // example: [v1]
                engagement(like("e2", "u1", "v1", 10)), // re-delivery: ignored
                engagement(like("e3", "u2", "v2", 11)), // example: []
                engagement(like("e4", "u3", "v5", 12)), // removed video
                engagement(like("e5", "u4", "v8", 13)), // never gets a SID
                Either.Left(rejections.reject(
                        SourcedEngagement.unplaced(like("bad", "u5", "v1", 14)),
                        "BAD_MAGIC_BYTE",
                        "undecodable, as the Kafka source would say")));
        List<Either<DeadLetter, SidAssigned>> assignments =
                List.of(Either.Right(sid("v1", "cb-1", 1, 2, 3, 0)), Either.Right(sid("v2", "cb-1", 4, 5, 6, 0)));
        List<Either<DeadLetter, VideoRemoved>> removals = List.of(Either.Right(removed("v5")));

        CollectingSink<TrainingExample> examples = new CollectingSink<>();
        CollectingSink<DeadLetter> deadLetters = new CollectingSink<>();
        SequenceWindowsJob job = new SequenceWindowsJob(
                InMemorySource.of(
                        new EitherTypeInfo<>(new AvroTypeInfo<>(DeadLetter.class), WindowTypes.SOURCED_ENGAGEMENT),
                        engagements),
                InMemorySource.of(Decoded.type(SidAssigned.class), assignments),
                InMemorySource.of(Decoded.type(VideoRemoved.class), removals),
                examples,
                Optional.empty(),
                deadLetters,
                CONFIG,
                REGISTRY);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        job.build(env);
        JobClient client = env.executeAsync(SequenceWindowsJob.NAME);
        try {
            RunningJobs.awaitWhileRunning(
                    client,
                    Duration.ofMinutes(1),
                    () -> examples.received().size() >= 2
                            && deadLetters.received().size() >= 3);

            assertThat(examples.received())
                    .extracting(TrainingExample::getExampleId)
                    .containsExactlyInAnyOrder("e2", "e3");
            assertThat(examples.received())
                    .filteredOn(e -> e.getExampleId().equals("e2"))
                    .singleElement()
                    .satisfies(e -> {
                        assertThat(e.getHistory())
                                .extracting(HistoryItem::getVideoId)
                                .containsExactly("v1");
                        assertThat(e.getTargetSid()).containsExactly(1, 2, 3, 0);
                        assertThat(e.getCodebookVersion()).isEqualTo("cb-1");
                    });
            assertThat(examples.received())
                    .filteredOn(e -> e.getExampleId().equals("e3"))
                    .singleElement()
                    .satisfies(e -> assertThat(e.getTargetSid()).containsExactly(4, 5, 6, 0));
            assertThat(deadLetters.received())
                    .extracting(DeadLetter::getErrorClass)
                    .containsExactlyInAnyOrder(
                            EngagementRejections.REMOVED, EngagementRejections.UNRESOLVED, "BAD_MAGIC_BYTE");
            assertThat(deadLetters.received())
                    .filteredOn(d -> !d.getErrorClass().equals("BAD_MAGIC_BYTE"))
                    .extracting(DeadLetter::getReason)
                    .anySatisfy(r -> assertThat(r).contains("e4"))
                    .anySatisfy(r -> assertThat(r).contains("e5").contains("v8"));
        } finally {
            client.cancel().get();
            examples.clear();
            deadLetters.clear();
        }
    }

    private static Either<DeadLetter, SourcedEngagement> engagement(io.sidstream.schemas.Engagement engagement) {
        return Either.Right(SourcedEngagement.unplaced(engagement));
    }
}
