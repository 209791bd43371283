package io.sidstream.tokenizer.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.sidstream.core.config.ConfigLoader;
import io.sidstream.core.sid.Sid;
import io.sidstream.flink.kafka.Decoded;
import io.sidstream.flink.testing.CollectingSink;
import io.sidstream.flink.testing.InMemorySource;
import io.sidstream.flink.testing.RunningJobs;
import io.sidstream.schemas.CodebookPublished;
import io.sidstream.schemas.DeadLetter;
import io.sidstream.schemas.SidAssigned;
import io.sidstream.schemas.VideoRemoved;
import io.sidstream.schemas.VideoUploaded;
import io.sidstream.schemas.serde.RegistryConfig;
import io.sidstream.tokenizer.catalog.SyntheticCatalog;
import io.sidstream.tokenizer.codebook.TestCodebooks;
import io.sidstream.tokenizer.embed.TextEmbedder;
import io.sidstream.tokenizer.embed.TextModel;
import io.sidstream.tokenizer.sid.SidConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Either;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole job on a MiniCluster with in-memory sources and sinks, through its constructor: no broker and no text
 * encoder (every valid upload carries its embedding), so it runs in seconds and checks the wiring from uploads and
 * the codebook to SIDs, and every dead-letter path into the one sink. Exactly-once, restore and the real encoder stay
 * with {@link SidAssignJobTest} and {@link SidAssignRestoreTest}.
 */
class SidAssignInMemoryTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(() -> new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(1)
                    .build());

    private static final String MODEL = TextModel.MINILM_Q.spaceName();
    private static final RegistryConfig REGISTRY = RegistryConfig.mock("sid-assign-in-memory-test");

    @Test
    void uploadsWithEmbeddingsGetUniqueSidsUnderTheCodebookAndTheRestEndAsDeadLetters() throws Exception {
        // seeded: the same catalog and codebook every run
        SyntheticCatalog catalog = new SyntheticCatalog(384, 8, 4, 0.6, 0.35, 11);
        float[][] train = new SyntheticCatalog(384, 8, 4, 0.6, 0.35, 1).embeddings(800);
        CodebookPublished codebook = TestCodebooks.announcement(
                TestCodebooks.kmeans("cb-v1", MODEL, train, 3, 16, 5, 1, 256),
                train,
                Instant.parse("2026-11-01T12:00:00Z"));

        List<Either<DeadLetter, VideoUploaded>> uploads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            uploads.add(Either.Right(upload("emb-" + i)
                    .setContentEmbedding(embedding(catalog))
                    .setEmbeddingModel(MODEL)
                    .build()));
        }
        uploads.add(Either.Right(
                upload("bad-no-model").setContentEmbedding(List.of(0.5f, 0.5f)).build()));
        uploads.add(Either.Right(upload("bad-short")
                .setContentEmbedding(List.of(0.5f, 0.5f))
                .setEmbeddingModel(MODEL)
                .build()));
        uploads.add(Either.Left(new DeadLetterFactory(REGISTRY)
                .upload(
                        upload("undecodable").build(),
                        "BAD_MAGIC_BYTE",
                        "undecodable, as the Kafka source would say")));

        SidConfig config = SidConfig.from(ConfigLoader.load(Optional.empty(), Map.of(), Map.of()));
        CollectingSink<Either<String, SidAssigned>> sids = new CollectingSink<>();
        CollectingSink<DeadLetter> deadLetters = new CollectingSink<>();
        SidAssignJob job = new SidAssignJob(
                InMemorySource.of(Decoded.type(VideoUploaded.class), uploads),
                InMemorySource.of(Decoded.type(VideoRemoved.class), List.of()),
                InMemorySource.of(Decoded.type(CodebookPublished.class), List.of(Either.Right(codebook))),
                sids,
                deadLetters,
                config,
                NoTextEmbedder::new,
                384,
                REGISTRY);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        job.build(env);
        JobClient client = env.executeAsync(SidAssignJob.NAME);
        try {
            RunningJobs.awaitWhileRunning(
                    client,
                    Duration.ofMinutes(1),
                    () -> sids.received().size() >= 8 && deadLetters.received().size() >= 3);

            List<SidAssigned> assigned = sids.received().stream()
                    .filter(Either::isRight)
                    .map(Either::right)
                    .toList();
            assertThat(sids.received()).hasSize(8).allMatch(Either::isRight);
            assertThat(assigned)
                    .extracting(SidAssigned::getVideoId)
                    .containsExactlyInAnyOrder("emb-0", "emb-1", "emb-2", "emb-3", "emb-4", "emb-5", "emb-6", "emb-7");
            assertThat(assigned).allSatisfy(s -> {
                assertThat(s.getCodebookVersion()).isEqualTo("cb-v1");
                assertThat(s.getEmbeddingModel()).isEqualTo(MODEL);
                assertThat(s.getCodes()).hasSize(4);
            });
            assertThat(assigned.stream().map(s -> Sid.fromCodes(s.getCodes())).collect(Collectors.toSet()))
                    .hasSize(8);

            assertThat(deadLetters.received().stream()
                            .collect(Collectors.toMap(
                                    d -> StandardCharsets.UTF_8
                                            .decode(d.getKey().duplicate())
                                            .toString(),
                                    DeadLetter::getErrorClass)))
                    .containsOnly(
                            Map.entry("bad-no-model", DeadLetterFactory.INVALID_EVENT),
                            Map.entry("bad-short", DeadLetterFactory.INVALID_EVENT),
                            Map.entry("undecodable", "BAD_MAGIC_BYTE"));
        } finally {
            client.cancel().get();
            sids.clear();
            deadLetters.clear();
        }
    }

    private static VideoUploaded.Builder upload(String id) {
        return VideoUploaded.newBuilder()
                .setVideoId(id)
                .setCreatorId("creator-" + id)
                .setTitle("title " + id)
                .setDurationMs(60_000)
                .setUploadTime(Instant.parse("2026-11-01T12:00:00Z"));
    }

    private static List<Float> embedding(SyntheticCatalog catalog) {
        List<Float> values = new ArrayList<>();
        for (float v : catalog.nextEmbedding()) {
            values.add(v);
        }
        return values;
    }

    /** The text encoder's stand-in: no upload here needs its text embedded, so being asked is a failure. */
    private static final class NoTextEmbedder implements TextEmbedder {
        @Override
        public String modelName() {
            return MODEL;
        }

        @Override
        public int dimension() {
            return 384;
        }

        @Override
        public List<float[]> embed(List<String> texts) {
            throw new AssertionError("asked to embed " + texts + ": every upload carries its embedding");
        }

        @Override
        public void close() {}
    }
}
