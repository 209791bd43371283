package io.sidstream.tokenizer.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sidstream.core.sid.Sid;
import io.sidstream.core.testing.FlinkReporterScrape;
import io.sidstream.core.topic.Topic;
import io.sidstream.schemas.CodebookPublished;
import io.sidstream.schemas.DeadLetter;
import io.sidstream.schemas.SidAssigned;
import io.sidstream.schemas.VideoUploaded;
import io.sidstream.tokenizer.sid.ResidualQuantizer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sid-assign job on a MiniCluster over the embedded broker, exactly-once, with the real text encoder. */
class SidAssignJobTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** The awaiting-uploads counter of the text model's space, as Flink's reporter names it (ops/METRICS.md). */
    private static final Pattern AWAITING_CODEBOOK = Pattern.compile(
            "^flink_taskmanager_job_task_operator_model_sidstream_sid_uploads_awaiting_codebook_total\\{(?=.*model=\""
                    + Pattern.quote(SidJobFixture.MODEL) + "\").*} [0-9.E]+$");

    @TempDir
    Path checkpoints;

    @Test
    void assignsUniqueSidsHoldsUploadsUntilACodebookSwitchesCodebooksLiveAndForwardsRemovals() throws Exception {
        int metricsPort = FlinkReporterScrape.freePort();
        try (SidJobFixture fixture = new SidJobFixture(checkpoints, metricsPort)) {
            JobClient job = fixture.start(Optional.empty());
            try {
                List<VideoUploaded> uploads = new ArrayList<>();
                IntStream.range(0, 20).forEach(i -> uploads.add(fixture.withEmbedding("emb-" + i)));
                IntStream.range(0, 10).forEach(i -> uploads.add(fixture.withText("txt-" + i)));
                List<Float> nan = new ArrayList<>(fixture.withEmbedding("x").getContentEmbedding());
                nan.set(3, Float.NaN);
                uploads.add(fixture.base("bad-nan")
                        .setContentEmbedding(nan)
                        .setEmbeddingModel(SidJobFixture.MODEL)
                        .build());
                uploads.add(fixture.base("bad-no-model")
                        .setContentEmbedding(List.of(0.5f, 0.5f))
                        .build());
                uploads.add(fixture.base("bad-short")
                        .setContentEmbedding(List.of(0.5f, 0.5f))
                        .setEmbeddingModel(SidJobFixture.MODEL)
                        .build());
                fixture.send(uploads);

                // before any codebook: the 30 valid uploads wait in the job's state, each counted per embedding space
                // by the job itself and exported by Flink's reporter (the alert's series on a cluster); none assigned
                await().atMost(WAIT)
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> FlinkReporterScrape.samples(metricsPort).stream()
                                        .filter(AWAITING_CODEBOOK.asPredicate())
                                        .mapToDouble(
                                                line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                                        .sum()
                                == 30);
                assertThat(fixture.kafka.readAll(
                                Topic.SID_ASSIGNMENTS.topicName(), SidAssigned.class, 1, Duration.ofSeconds(1)))
                        .isEmpty();

                CodebookPublished v1 = fixture.codebook("cb-v1", 1, Instant.now());
                fixture.publish(v1);
                List<SidAssigned> first =
                        values(fixture.kafka.readAll(Topic.SID_ASSIGNMENTS.topicName(), SidAssigned.class, 30, WAIT));
                assertThat(first).hasSize(30);
                assertThat(first)
                        .extracting(SidAssigned::getVideoId)
                        .doesNotHaveDuplicates()
                        .containsAll(uploads.subList(0, 30).stream()
                                .map(VideoUploaded::getVideoId)
                                .toList());
                assertThat(first).allSatisfy(s -> {
                    assertThat(s.getCodebookVersion()).isEqualTo("cb-v1");
                    assertThat(s.getEmbeddingModel()).isEqualTo(SidJobFixture.MODEL);
                    assertThat(s.getCodes()).hasSize(4);
                });
                assertThat(first.stream().map(s -> Sid.fromCodes(s.getCodes())).collect(Collectors.toSet()))
                        .hasSize(30);
                // held uploads are assigned on the quantizer's batched path: the same codes as one at a time
                assertPrefixesAreTheQuantizers(first, v1, uploads);

                List<DeadLetter> rejected =
                        values(fixture.kafka.readAll(Topic.VIDEO_UPLOADS.deadLetterTopic(), DeadLetter.class, 3, WAIT));
                assertThat(rejected).hasSize(3).allSatisfy(d -> {
                    assertThat(d.getErrorClass()).isEqualTo(DeadLetterFactory.INVALID_EVENT);
                    assertThat(d.getStage()).isEqualTo("sid-assign");
                });
                Map<String, String> reasons = rejected.stream()
                        .collect(Collectors.toMap(
                                d -> StandardCharsets.UTF_8
                                        .decode(d.getKey().duplicate())
                                        .toString(),
                                DeadLetter::getReason));
                assertThat(reasons.get("bad-nan")).contains("contentEmbedding[3] is NaN");
                assertThat(reasons.get("bad-no-model")).contains("embeddingModel");
                assertThat(reasons.get("bad-short")).contains("2 dimensions");

                // a new codebook is picked up live: every known video is re-assigned under it
                CodebookPublished v2 = fixture.codebook("cb-v2", 2, Instant.now());
                fixture.publish(v2);
                List<SidAssigned> all =
                        values(fixture.kafka.readAll(Topic.SID_ASSIGNMENTS.topicName(), SidAssigned.class, 60, WAIT));
                List<SidAssigned> second = all.stream()
                        .filter(s -> s.getCodebookVersion().equals("cb-v2"))
                        .toList();
                assertThat(second).hasSize(30);
                assertThat(second).extracting(SidAssigned::getVideoId).doesNotHaveDuplicates();
                assertThat(second.stream().map(s -> Sid.fromCodes(s.getCodes())).collect(Collectors.toSet()))
                        .hasSize(30);
                assertPrefixesAreTheQuantizers(second, v2, uploads);

                // a new upload goes straight to the current codebook; a re-delivered one keeps its SID (no new record)
                fixture.send(List.of(fixture.withEmbedding("emb-0"), fixture.withText("late-1")));
                fixture.remove("emb-5");
                fixture.kafka.readAll(Topic.SID_ASSIGNMENTS.topicName(), SidAssigned.class, 62, WAIT);
                // once the job has read and checkpointed past the re-delivery, anything it wrote for it is visible
                fixture.awaitJobCaughtUp();
                List<ConsumerRecord<String, SidAssigned>> records = fixture.kafka.readAll(
                        Topic.SID_ASSIGNMENTS.topicName(), SidAssigned.class, 63, Duration.ofSeconds(2));
                assertThat(records).hasSize(62);
                assertThat(records)
                        .filteredOn(r -> r.value() == null)
                        .extracting(ConsumerRecord::key)
                        .containsExactly("emb-5");
                List<SidAssigned> late = records.stream()
                        .map(ConsumerRecord::value)
                        .filter(s -> s != null && s.getVideoId().equals("late-1"))
                        .toList();
                assertThat(late)
                        .hasSize(1)
                        .first()
                        .satisfies(s -> assertThat(s.getCodebookVersion()).isEqualTo("cb-v2"));
                assertThat(records).filteredOn(r -> "emb-0".equals(r.key())).hasSize(2);
                Set<Sid> v2Sids = new HashSet<>();
                records.stream()
                        .map(ConsumerRecord::value)
                        .filter(s -> s != null && s.getCodebookVersion().equals("cb-v2"))
                        .forEach(s -> assertThat(v2Sids.add(Sid.fromCodes(s.getCodes())))
                                .isTrue());

                // the job records upload_to_sid itself, and Flink's Prometheus reporter exports it
                FlinkReporterScrape.awaitFreshness(metricsPort, "upload_to_sid");
            } finally {
                job.cancel().get();
            }
        }
    }

    /**
     * Every upload that carried its embedding got exactly the codebook's single-embedding codes of that embedding as
     * the job keeps it (half precision) as its prefix.
     */
    private static void assertPrefixesAreTheQuantizers(
            List<SidAssigned> sids, CodebookPublished announced, List<VideoUploaded> uploads) {
        ResidualQuantizer quantizer = CodebookLoader.load(announced).quantizer();
        Map<String, SidAssigned> byVideo = sids.stream().collect(Collectors.toMap(SidAssigned::getVideoId, s -> s));
        List<VideoUploaded> carried =
                uploads.stream().filter(u -> u.getVideoId().startsWith("emb-")).toList();
        assertThat(carried).hasSize(20);
        for (VideoUploaded upload : carried) {
            float[] embedding = new float[upload.getContentEmbedding().size()];
            for (int i = 0; i < embedding.length; i++) {
                embedding[i] = upload.getContentEmbedding().get(i);
            }
            int[] expected = quantizer.quantize(HalfFloats.decode(HalfFloats.encode(embedding)));
            assertThat(byVideo.get(upload.getVideoId()).getCodes().subList(0, expected.length))
                    .as(upload.getVideoId())
                    .containsExactly(IntStream.of(expected).boxed().toArray(Integer[]::new));
        }
    }

    static <V> List<V> values(List<ConsumerRecord<String, V>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }
}
